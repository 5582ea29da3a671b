import "server-only";

// The history store's entry points.
export { createStore, type StoreOptions } from "./store";
export { DEFAULT_RETENTION } from "./maintenance";
export type * from "./types";
