"use client";

import { PageHeader } from "@/components/layout/page-header";
import { PanelChannels, PanelRules } from "@/components/panels/panel-settings";
import { useSettings } from "@/components/panels/queries";
import { useAnsweredOnce } from "@/components/panels/use-answered-once";

export function SettingsClient() {
  // The rules' list is as long as the config makes it: the channels below it show once it is
  // drawn (both read the same answer), rather than being pushed down by it.
  const settled = useAnsweredOnce([useSettings()]);
  return (
    <div className="space-y-4">
      <PageHeader title="Settings" subtitle="Rules and channels are read from the config file; change them there and restart." />
      <PanelRules />
      <div hidden={!settled}>
        <PanelChannels />
      </div>
    </div>
  );
}
