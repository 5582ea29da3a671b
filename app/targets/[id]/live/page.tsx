import type { Metadata } from "next";
import { parseLiveParams } from "@/lib/api/search-params";
import { LiveClient } from "./client";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Live · ${(await params).id}` };
}

// Sessions, lock tree and charts of one target, refreshed every few seconds by the island.
export default async function LivePage({ params, searchParams }: Props) {
  const { id } = await params;
  return <LiveClient targetId={id} initial={parseLiveParams(await searchParams)} />;
}
