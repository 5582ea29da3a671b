"use client";

import { useState, type FormEvent } from "react";
import type { ApiErrorBody } from "@/lib/api/common";
import type { LoginResponse } from "@/lib/api/login";

type Mode = "none" | "builtin" | "proxy";

// The form also works without JavaScript: it posts to the same endpoint, which answers a form
// post with a redirect.
export function LoginForm({ next, mode }: { next: string; mode: Mode }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (mode !== "builtin") {
    return (
      <section className="mx-auto mt-16 max-w-sm rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900" data-testid="login-not-used">
        <h1 className="text-lg font-semibold">Sign-in is not used here</h1>
        <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
          {mode === "proxy" ? "Your identity comes from the company sign-in in front of pgpulse." : "pgpulse runs on this machine only, without sign-in."}
        </p>
        <a className="mt-4 inline-block text-sm text-blue-700 underline dark:text-blue-400" href={next}>
          Continue
        </a>
      </section>
    );
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const form = new FormData(event.currentTarget);
    try {
      const res = await fetch("/api/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ name: form.get("name"), password: form.get("password"), next }),
      });
      // The route answers with its own schemas (lib/api/login.ts), so the types are trusted here
      // rather than shipping zod to the sign-in page.
      const body = (await res.json().catch(() => null)) as LoginResponse | ApiErrorBody | null;
      if (res.ok && body && "next" in body) {
        // A full load, so every server component renders again with the new session.
        window.location.assign(body.next);
        return;
      }
      const message = body && "error" in body ? body.error : null;
      const retry = res.headers.get("retry-after");
      setError(res.status === 429 && retry ? `Too many failed attempts. Try again in ${retry} s.` : message ?? `Sign-in failed (${res.status}).`);
    } catch {
      setError("The server could not be reached.");
    }
    setBusy(false);
  }

  return (
    <section className="mx-auto mt-16 max-w-sm rounded-lg border border-slate-200 bg-white p-6 dark:border-slate-800 dark:bg-slate-900">
      <h1 className="text-lg font-semibold">Sign in to pgpulse</h1>
      <form method="post" action="/api/auth/login" onSubmit={onSubmit} className="mt-4 space-y-4" data-testid="login-form">
        <input type="hidden" name="next" value={next} />
        <label className="block text-sm">
          <span className="text-slate-700 dark:text-slate-300">User name</span>
          <input name="name" autoComplete="username" required maxLength={100} data-testid="login-name"
            className="mt-1 block w-full rounded border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-950" />
        </label>
        <label className="block text-sm">
          <span className="text-slate-700 dark:text-slate-300">Password</span>
          <input name="password" type="password" autoComplete="current-password" required maxLength={1024} data-testid="login-password"
            className="mt-1 block w-full rounded border border-slate-300 bg-white px-3 py-2 dark:border-slate-700 dark:bg-slate-950" />
        </label>
        {error && (
          <p role="alert" className="text-sm text-red-700 dark:text-red-400" data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy} data-testid="login-submit"
          className="w-full rounded bg-blue-700 px-3 py-2 text-sm font-medium text-white hover:bg-blue-800 focus:outline-none focus:ring-2 focus:ring-blue-500 disabled:opacity-60">
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </form>
    </section>
  );
}
