import "server-only";

// The history store's entry points.
export { createStore, type StoreOptions, type StoreLogger } from "./store";
export { chooseResolution, RESOLUTION_MS } from "./resolution";
export { DEFAULT_RETENTION, type Retention } from "./maintenance";
export type * from "./types";
