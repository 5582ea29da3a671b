import { NextResponse } from "next/server";
import { targetListSchema } from "@/lib/api/targets";
import { getRuntime } from "@/lib/server/runtime";
import { summarizeTarget } from "@/lib/server/target-summary";

export const dynamic = "force-dynamic";

export function GET() {
  return NextResponse.json(targetListSchema.parse({ targets: getRuntime().targets.map(summarizeTarget) }));
}
