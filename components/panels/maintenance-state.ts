"use client";

import type { UseQueryResult } from "@tanstack/react-query";
import type { MaintenanceResponse } from "@/lib/api/maintenance";
import { REFRESH_MS } from "@/lib/limits";
import { usePanelState } from "./use-panel-state";

/**
 * The maintenance answer has five parts from five metrics: each panel judges its own part by
 * that metric's sample time and cadence, so a slow part never makes a fresh one look stale.
 */
export function useMaintenancePartState(res: UseQueryResult<MaintenanceResponse>, part: { takenAt: string | null; cadenceMs: number } | undefined) {
  return usePanelState(res, { everyMs: 1000, sampled: { takenAt: part?.takenAt ?? null, cadenceMs: part?.cadenceMs ?? 0, slackMs: REFRESH_MS.live } });
}
