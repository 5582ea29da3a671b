// A migration's shape, on its own so each migration file can name it without importing the
// list (./index.ts) that imports them.

export interface Migration {
  id: number;
  name: string;
  sql: string;
}
