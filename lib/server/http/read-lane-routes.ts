import "server-only";
import { GET as alertCount } from "@/app/api/alerts/count/route";
import { GET as alerts } from "@/app/api/alerts/route";
import { GET as health } from "@/app/api/health/route";
import { GET as overview } from "@/app/api/overview/route";
import { GET as activity } from "@/app/api/targets/[id]/activity/route";
import { GET as indexes } from "@/app/api/targets/[id]/indexes/route";
import { GET as series } from "@/app/api/targets/[id]/series/route";
import { GET as tables } from "@/app/api/targets/[id]/tables/route";
import type { ReadRoute } from "./read-lane";

// What open pages poll, answered by the read lane (./read-lane.ts) with the routes' own
// handlers. A route listed here keeps its file under app/api: HEAD, odd paths and other
// methods still reach it through Next.
export const READ_LANE_ROUTES: readonly ReadRoute[] = [
  { path: "/api/health", GET: health },
  { path: "/api/overview", GET: overview },
  { path: "/api/alerts", GET: alerts },
  { path: "/api/alerts/count", GET: alertCount },
  { path: "/api/targets/[id]/activity", GET: activity },
  { path: "/api/targets/[id]/tables", GET: tables },
  { path: "/api/targets/[id]/indexes", GET: indexes },
  { path: "/api/targets/[id]/series", GET: series },
];
