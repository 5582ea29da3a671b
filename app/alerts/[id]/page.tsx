import type { Metadata } from "next";
import { AlertDetailClient } from "./client";

type Props = { params: Promise<{ id: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  return { title: `Alert ${(await params).id}` };
}

// One alert with its events and notification attempts.
export default async function AlertDetailPage({ params }: Props) {
  const { id } = await params;
  return <AlertDetailClient id={id} />;
}
