import { z } from "zod";
import { serverRoleSchema } from "./common";

export const targetHealthSchema = z.object({
  id: z.string(),
  name: z.string(),
  /**
   * From this instance's poll, or for a target another instance polls (heldBy) from what that
   * instance recorded in the store, as are the fields below. null: unknown — not polled yet, or
   * no instance holds its lease.
   */
  up: z.boolean().nullable(),
  serverVersion: z.string().nullable(),
  /** From the last probe (re-checked every minute); null until the target has answered one. */
  role: serverRoleSchema.nullable(),
  lastSampleAt: z.string().nullable(),
  lastError: z.string().nullable(),
  downSince: z.string().nullable(),
  /** The instance whose lease covers the target (it polls it); null while nobody holds it. */
  heldBy: z.object({ id: z.string(), name: z.string() }).nullable(),
});

/** A pgpulse instance sharing the store, with the targets it holds (docs/SCALING.md). */
export const instanceHealthSchema = z.object({
  id: z.string(),
  name: z.string(),
  /** The instance that answered this request. */
  self: z.boolean(),
  startedAt: z.string().nullable(),
  heartbeatAt: z.string().nullable(),
  targets: z.array(z.string()),
});

export const healthSchema = z.object({
  status: z.enum(["ok", "degraded", "down"]),
  version: z.string(),
  store: z.object({ reachable: z.boolean(), since: z.string().nullable(), detail: z.string().nullable() }),
  targets: z.array(targetHealthSchema),
  instances: z.array(instanceHealthSchema),
});

export type Health = z.infer<typeof healthSchema>;

/**
 * What an anonymous caller (a load balancer) gets: up or not. Target names, versions and the
 * last connection error name hosts and roles; they are for viewers and above.
 */
export const healthStatusSchema = healthSchema.pick({ status: true }).strict();
export type TargetHealth = z.infer<typeof targetHealthSchema>;
export type InstanceHealth = z.infer<typeof instanceHealthSchema>;
