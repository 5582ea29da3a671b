import { z } from "zod";
import { ROLES } from "./roles";

// Wire shapes of /api/auth/*, shared by the route handlers and the client.

export const loginRequestSchema = z.object({
  name: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(1024),
  next: z.string().max(2048).optional(),
});

export const meResponseSchema = z.object({
  name: z.string(),
  role: z.enum(ROLES),
  authMode: z.enum(["none", "builtin", "proxy"]),
});
export type MeResponse = z.infer<typeof meResponseSchema>;

export const loginResponseSchema = z.object({ name: z.string(), role: z.enum(ROLES), next: z.string() });
export type LoginResponse = z.infer<typeof loginResponseSchema>;

export const errorResponseSchema = z.object({ error: z.string() });
