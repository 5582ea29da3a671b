// Stands in for "server-only" under vitest, where there is no react-server condition.
export {};
