import { z } from "zod";
import { cadenceMsSchema, isoTime, nullableInt, nullableIso, nullableNumber, unavailableSchema } from "./common";

// GET /api/targets/{id}/activity — the latest stat_activity sample from the collector's
// in-memory snapshot (never a query on the target).

export const sessionSchema = z.object({
  pid: z.number().int(),
  user: z.string().nullable(),
  application: z.string().nullable(),
  clientAddr: z.string().nullable(),
  /** null for rows hidden by privileges. */
  state: z.string().nullable(),
  waitEventType: z.string().nullable(),
  waitEvent: z.string().nullable(),
  backendStart: nullableIso,
  xactStart: nullableIso,
  queryStart: nullableIso,
  stateChange: nullableIso,
  /** Already redacted on the server for roles that may not see literals. */
  query: z.string().nullable(),
  /** int8 as a string: it does not fit a JS number. */
  queryId: z.string().nullable(),
  /** Running time of the current query, for active sessions; null otherwise. */
  durationMs: nullableNumber,
  xactAgeMs: nullableNumber,
  blockedBy: z.array(z.number().int()),
  /** Row visible only as "<insufficient privilege>": counted and shown, never dropped. */
  hidden: z.boolean(),
});
export type Session = z.infer<typeof sessionSchema>;

export const countsByStateSchema = z.object({
  total: z.number().int(),
  active: z.number().int(),
  idle: z.number().int(),
  idleInTransaction: z.number().int(),
  idleInTransactionAborted: z.number().int(),
  /** fastpath function call, disabled, or a state we do not know. */
  other: z.number().int(),
  hidden: z.number().int(),
  waitingLock: z.number().int(),
});
export type CountsByState = z.infer<typeof countsByStateSchema>;

export const saturationSchema = z.object({
  total: z.number().int(),
  /** max_connections minus the reserved slots. */
  usable: nullableInt,
  max: nullableInt,
  /** total / usable, 0–1. */
  ratio: nullableNumber,
});

export interface BlockerNode {
  pid: number;
  /** False when the blocking pid is not among the visible client sessions. */
  known: boolean;
  user: string | null;
  application: string | null;
  state: string | null;
  waitEventType: string | null;
  waitEvent: string | null;
  query: string | null;
  durationMs: number | null;
  xactAgeMs: number | null;
  /** How long this session has been waiting (null for a root, which waits on nobody). */
  waitingMs: number | null;
  /** The longest wait anywhere below this node: the branch's waiting time. */
  branchWaitingMs: number | null;
  /** Sessions below this node (each counted once). */
  blockedCount: number;
  /** This pid was already expanded elsewhere in the tree; its children are shown there. */
  repeated: boolean;
  /** Part of a blocking cycle (a deadlock not yet detected by the server). */
  inCycle: boolean;
  children: BlockerNode[];
}

export const blockerNodeSchema: z.ZodType<BlockerNode> = z.object({
  pid: z.number().int(),
  known: z.boolean(),
  user: z.string().nullable(),
  application: z.string().nullable(),
  state: z.string().nullable(),
  waitEventType: z.string().nullable(),
  waitEvent: z.string().nullable(),
  query: z.string().nullable(),
  durationMs: nullableNumber,
  xactAgeMs: nullableNumber,
  waitingMs: nullableNumber,
  branchWaitingMs: nullableNumber,
  blockedCount: z.number().int(),
  repeated: z.boolean(),
  inCycle: z.boolean(),
  get children() {
    return z.array(blockerNodeSchema);
  },
});

export const activityResponseSchema = z.object({
  targetId: z.string(),
  /** When the collector took the sample; null when none yet. */
  takenAt: nullableIso,
  /** stat_activity's. */
  cadenceMs: cadenceMsSchema,
  unavailable: unavailableSchema,
  sessions: z.array(sessionSchema),
  countsByState: countsByStateSchema,
  saturation: saturationSchema,
  /** The application's pool size from the config, drawn on the connections chart. */
  poolSize: nullableInt,
  /** Built with buildBlockerTree(sessions) on the server. */
  blockerTree: z.array(blockerNodeSchema),
});
export type ActivityResponse = z.infer<typeof activityResponseSchema>;

/** POST /api/targets/{id}/sessions/{pid}/cancel|terminate (admin). */
export const sessionActionSchema = z.enum(["cancel", "terminate"]);
export type SessionAction = z.infer<typeof sessionActionSchema>;
export const sessionActionResponseSchema = z.object({
  pid: z.number().int(),
  action: sessionActionSchema,
  /** pg_cancel_backend / pg_terminate_backend's answer: false when the pid was gone. */
  ok: z.boolean(),
  at: isoTime,
  /**
   * What the server saw after sending: the statement (cancel) or session (terminate) "ended";
   * it was "still_running" when the watch ran out; a cancelled session was "not_running" a
   * statement; the pid was "gone" before the signal; "unseen": the monitoring role cannot read
   * that session's state (it lacks pg_read_all_stats), so a cancel's effect is unknown.
   */
  outcome: z.enum(["ended", "still_running", "not_running", "gone", "unseen"]),
  /** From the signal to the end seen, in milliseconds; null when no end was seen. */
  afterMs: z.number().nullable(),
  /** How long the server watched for the effect. */
  watchedMs: z.number(),
  /** The session's state afterwards ("idle", "idle in transaction (aborted)"); null when gone. */
  stateAfter: z.string().nullable(),
});
export type SessionActionResponse = z.infer<typeof sessionActionResponseSchema>;
export type SessionActionOutcome = SessionActionResponse["outcome"];
