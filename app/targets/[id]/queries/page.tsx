import type { Metadata } from "next";
import { parseQueriesParams } from "@/lib/api/search-params";
import { QueriesClient } from "./client";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Queries · ${(await params).id}` };
}

// Slow statements of one target grouped by fingerprint over the range in the URL.
export default async function QueriesPage({ params, searchParams }: Props) {
  const { id } = await params;
  return <QueriesClient targetId={id} initial={parseQueriesParams(await searchParams)} />;
}
