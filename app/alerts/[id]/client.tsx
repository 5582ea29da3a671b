"use client";

import Link from "next/link";
import { PageHeader } from "@/components/layout/page-header";
import { PanelAlertDetail } from "@/components/panels/panel-alert-detail";
import { LINK } from "@/components/ui/palette";

export function AlertDetailClient({ id }: { id: string }) {
  return (
    <div className="space-y-4">
      <PageHeader
        title={
          <>
            <Link href="/alerts" className={LINK}>
              Alerts
            </Link>{" "}
            · <span className="text-base">alert #{id}</span>
          </>
        }
      />
      <PanelAlertDetail id={id} />
    </div>
  );
}
