import { z } from "zod";
import { serverRoleSchema } from "./common";

/** A target as the browser may see it: never a password or a full connection string. */
export const targetSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  host: z.string(),
  port: z.number().nullable(),
  database: z.string(),
  /** Primary or standby as the last probe saw it; null until the target has answered one. */
  role: serverRoleSchema.nullable(),
});

export const targetListSchema = z.object({ targets: z.array(targetSummarySchema) });

export type TargetSummary = z.infer<typeof targetSummarySchema>;
