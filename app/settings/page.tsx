import type { Metadata } from "next";
import { SettingsClient } from "./client";

export const metadata: Metadata = { title: "Settings" };

// A read-only view of the configured rules and channels.
export default function SettingsPage() {
  return <SettingsClient />;
}
