"use client";

import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { LINK } from "@/components/ui/palette";
import { useReplication } from "./queries";

// The target's side of replication, and the watched targets on the other side of it (a primary
// and its standbys share their system identifier), each a link to its own replication page.

export function ReplicationRole({ targetId }: { targetId: string }) {
  const role = useReplication(targetId).data?.role;
  if (!role) return null;
  const links = role.links;
  return (
    <div data-testid="replication-role" data-role={role.role ?? "unknown"} className="flex flex-wrap items-center gap-2 text-sm">
      <Badge tone={role.role === "standby" ? "info" : role.role === "primary" ? "neutral" : "muted"}>{role.role ?? "role unknown"}</Badge>
      {links.length ? (
        <span data-testid="replication-links">
          {role.role === "standby" ? "standby of " : "standbys watched: "}
          {links.map((l, i) => (
            <span key={l.targetId}>
              {i ? ", " : ""}
              <Link className={LINK} href={`/targets/${encodeURIComponent(l.targetId)}/replication`}>
                {l.name}
              </Link>
            </span>
          ))}
        </span>
      ) : null}
    </div>
  );
}
