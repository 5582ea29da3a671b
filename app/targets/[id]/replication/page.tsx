import type { Metadata } from "next";
import { parseReplicationParams } from "@/lib/api/search-params";
import { ReplicationClient } from "./client";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Replication & WAL · ${(await params).id}` };
}

// Standbys or the standby's own replay, slots, WAL rate, archiving and backups; the range lives in the URL.
export default async function ReplicationPage({ params, searchParams }: Props) {
  const { id } = await params;
  return <ReplicationClient targetId={id} initial={parseReplicationParams(await searchParams)} />;
}
