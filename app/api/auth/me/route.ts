import { NextResponse } from "next/server";
import { meSchema } from "@/lib/api/me";
import { authSettings } from "@/lib/auth/settings";
import { route } from "@/lib/server/http/route";

export const GET = route("viewer", (_req, { actor }) => {
  return NextResponse.json(meSchema.parse({ name: actor.name, role: actor.role, authMode: authSettings().mode }));
});
