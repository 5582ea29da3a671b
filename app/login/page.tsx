import type { Metadata } from "next";
import { connection } from "next/server";
import { safeNextPath } from "@/lib/auth/safe-next";
import { authSettings } from "@/lib/auth/settings";
import { LoginForm } from "./client";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // Per request: the CSP nonce is per request, and the auth mode is read at run time.
  await connection();
  const params = await searchParams;
  const next = safeNextPath(typeof params.next === "string" ? params.next : null);
  return <LoginForm next={next} mode={authSettings().mode} />;
}
