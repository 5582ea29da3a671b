import { z } from "zod";
import { roleSchema } from "./common";

// GET /api/auth/me — who is looking. The UI hides actions a role cannot take (lib/auth/actions.ts);
// the server enforces the same rules whatever the UI shows.

export const meSchema = z.object({
  name: z.string(),
  role: roleSchema,
  authMode: z.enum(["none", "builtin", "proxy"]),
});
