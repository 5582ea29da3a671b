// What a snapshot-backed view gets for each part of its answer: the metric's latest rows with
// their time, and how to judge them (its cadence, or why the part does not apply here).

export interface Sample<R> {
  ts: Date;
  rows: R[];
}

export interface Source {
  cadenceMs: number;
  unavailable: string | null;
}
