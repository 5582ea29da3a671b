import { NextResponse } from "next/server";
import type { MeResponse } from "@/lib/auth/contracts";
import { authErrorResponse } from "@/lib/auth/errors";
import { requireRole } from "@/lib/auth/require-role";
import { authSettings } from "@/lib/auth/settings";

export async function GET(request: Request) {
  try {
    const { actor } = await requireRole(request, "viewer");
    const body: MeResponse = { name: actor.name, role: actor.role, authMode: authSettings().mode };
    return NextResponse.json(body, { headers: { "cache-control": "no-store" } });
  } catch (e) {
    const res = authErrorResponse(e);
    if (res) return res;
    throw e;
  }
}
