import type { Metadata } from "next";
import { parseMaintenanceParams } from "@/lib/api/search-params";
import { MaintenanceClient } from "./client";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Maintenance · ${(await params).id}` };
}

// Vacuums, tables needing VACUUM/ANALYZE, sequences and checkpoints of one target; the
// checkpoint window and the name filter live in the URL.
export default async function MaintenancePage({ params, searchParams }: Props) {
  const { id } = await params;
  return <MaintenanceClient targetId={id} initial={parseMaintenanceParams(await searchParams)} />;
}
