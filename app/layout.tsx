import type { Metadata, Viewport } from "next";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { DocumentTitleCount } from "@/components/layout/document-title-count";
import { NavBar } from "@/components/layout/nav-bar";
import { Providers } from "./providers";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "pgpulse", template: "%s · pgpulse" },
  description: "PostgreSQL monitoring and alerting",
  // Files in public/, served outside the proxy (no sign-in needed for an icon).
  icons: { icon: [{ url: "/icon.svg", type: "image/svg+xml" }, { url: "/favicon.ico", sizes: "16x16 32x32" }] },
  manifest: "/manifest.webmanifest",
};

// The same colour as public/manifest.webmanifest's theme_color and the icon's tile.
export const viewport: Viewport = { themeColor: "#1e40af" };

// Applies the stored theme before first paint so the page does not flash.
const themeScript = `try{var t=localStorage.getItem("pgpulse-theme");if(t==="dark"||(!t&&matchMedia("(prefers-color-scheme: dark)").matches))document.documentElement.classList.add("dark")}catch(e){}`;

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The CSP is nonce-based (proxy.ts): inline scripts carry the per-request nonce.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  return (
    <html lang="en" suppressHydrationWarning>
      <head>
        <script nonce={nonce} dangerouslySetInnerHTML={{ __html: themeScript }} />
      </head>
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased dark:bg-slate-950 dark:text-slate-100">
        {/* The first tab stop: past the nav bar straight to the page, for keyboard and screen-reader users. */}
        <a
          href="#main"
          className="sr-only rounded bg-sky-700 px-3 py-2 text-sm font-medium text-white focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50"
        >
          Skip to content
        </a>
        <Providers>
          <NavBar />
          <DocumentTitleCount />
          <main id="main" tabIndex={-1} className="mx-auto max-w-screen-2xl px-4 py-6 focus:outline-none">
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}
