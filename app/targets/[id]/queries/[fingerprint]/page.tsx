import type { Metadata } from "next";
import { parseQueriesParams } from "@/lib/api/search-params";
import { QueryDetailClient } from "./client";

type Props = {
  params: Promise<{ id: string; fingerprint: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Query ${(await params).fingerprint}` };
}

// One statement fingerprint: history, examples and EXPLAIN on demand.
export default async function QueryDetailPage({ params, searchParams }: Props) {
  const { id, fingerprint } = await params;
  return <QueryDetailClient targetId={id} fingerprint={fingerprint} initial={parseQueriesParams(await searchParams)} />;
}
