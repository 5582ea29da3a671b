import { z } from "zod";
import { roleSchema } from "./common";

// POST /api/auth/login (built-in sign-in). A refusal is the common error body (apiErrorBodySchema).

export const loginRequestSchema = z.object({
  name: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(1024),
  next: z.string().max(2048).optional(),
});

export const loginResponseSchema = z.object({ name: z.string(), role: roleSchema, next: z.string() });
export type LoginResponse = z.infer<typeof loginResponseSchema>;
