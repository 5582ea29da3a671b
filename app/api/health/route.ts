import { NextResponse } from "next/server";
import { healthSchema } from "@/lib/api/health";
import { getRuntime } from "@/lib/server/runtime";

export const dynamic = "force-dynamic";

export function GET() {
  const body = healthSchema.parse(getRuntime().health());
  // 200 even when targets are down: pgpulse itself is serving; the body says what is wrong.
  return NextResponse.json(body);
}
