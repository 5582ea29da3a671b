"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx } from "@/components/ui/cx";
import { AlertBadge } from "./alert-badge";
import { ThemeToggle } from "./theme-toggle";

// The top bar on every page. On a target's pages a second row links its live, tables and
// queries views, keeping the time range where one applies.

function NavLink({ href, active, children }: { href: string; active: boolean; children: React.ReactNode }) {
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={cx(
        "rounded px-2 py-1 text-sm focus-visible:outline-2 focus-visible:outline-sky-400",
        active ? "bg-slate-800 text-white" : "text-slate-300 hover:bg-slate-800 hover:text-white",
      )}
    >
      {children}
    </Link>
  );
}

export function NavBar() {
  const pathname = usePathname() ?? "/";
  const target = /^\/targets\/([^/]+)/.exec(pathname)?.[1] ?? null;
  return (
    <nav className="bg-slate-900 text-slate-100 dark:border-b dark:border-slate-800" aria-label="Main">
      <div className="mx-auto flex max-w-screen-2xl flex-wrap items-center gap-2 px-4 py-2">
        <Link href="/" className="mr-3 font-semibold tracking-tight text-white focus-visible:outline-2 focus-visible:outline-sky-400">
          pgpulse
        </Link>
        <NavLink href="/" active={pathname === "/"}>
          Overview
        </NavLink>
        <AlertBadge />
        <NavLink href="/trends" active={pathname.startsWith("/trends")}>
          Trends
        </NavLink>
        <NavLink href="/settings" active={pathname.startsWith("/settings")}>
          Settings
        </NavLink>
        <div className="ml-auto">
          <ThemeToggle />
        </div>
      </div>
      {target ? (
        <div className="border-t border-slate-800">
          <div className="mx-auto flex max-w-screen-2xl flex-wrap items-center gap-2 px-4 py-1">
            <span className="mr-2 text-xs text-slate-300">
              target <span className="font-mono text-slate-200">{decodeURIComponent(target)}</span>
            </span>
            {([["live", "Live"], ["tables", "Tables & indexes"], ["queries", "Queries"], ["replication", "Replication & WAL"], ["maintenance", "Maintenance"]] as const).map(([p, label]) => (
              <NavLink key={p} href={`/targets/${target}/${p}`} active={pathname.startsWith(`/targets/${target}/${p}`)}>
                {label}
              </NavLink>
            ))}
          </div>
        </div>
      ) : null}
    </nav>
  );
}
