import type { z } from "zod";
import type { channelSchema } from "@/lib/config/schema";
import { SEVERITY_ORDER, type Severity } from "./types";

export type ChannelConfig = z.infer<typeof channelSchema>;

/** What the API may show of a channel: never its URL (webhook URLs are secrets). */
export interface PublicChannel {
  id: string;
  type: ChannelConfig["type"];
  minSeverity: Severity;
  targets: string[] | null;
}

export function publicChannels(channels: ChannelConfig[]): PublicChannel[] {
  return channels.map((c) => ({ id: c.id, type: c.type, minSeverity: c.minSeverity, targets: c.targets ? [...c.targets] : null }));
}

/**
 * The channels an alert notification goes to: severity at or above the channel's minSeverity,
 * the channel's target list (when it has one) includes the target, and the rule's own channel
 * list (when it has one) includes the channel.
 */
export function routeChannels(
  channels: Pick<ChannelConfig, "id" | "minSeverity" | "targets">[],
  alert: { severity: Severity; targetId: string },
  ruleChannels: string[] | null,
): string[] {
  return channels
    .filter((c) => SEVERITY_ORDER[alert.severity] >= SEVERITY_ORDER[c.minSeverity])
    .filter((c) => !c.targets || c.targets.includes(alert.targetId))
    .filter((c) => !ruleChannels || ruleChannels.includes(c.id))
    .map((c) => c.id);
}
