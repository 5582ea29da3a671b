"use client";

import { PageHeader } from "@/components/layout/page-header";
import { PanelChannels, PanelRules } from "@/components/panels/panel-settings";

export function SettingsClient() {
  return (
    <div className="space-y-4">
      <PageHeader title="Settings" subtitle="Rules and channels are read from the config file; change them there and restart." />
      <PanelRules />
      <PanelChannels />
    </div>
  );
}
