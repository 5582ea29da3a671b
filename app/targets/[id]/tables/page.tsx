import type { Metadata } from "next";
import { parseTablesParams } from "@/lib/api/search-params";
import { TablesClient } from "./client";

type Props = {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Tables · ${(await params).id}` };
}

// Tables, partitions and indexes of one target; range, tab and filters live in the URL.
export default async function TablesPage({ params, searchParams }: Props) {
  const { id } = await params;
  return <TablesClient targetId={id} initial={parseTablesParams(await searchParams)} />;
}
