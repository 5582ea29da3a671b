import { spawn } from "node:child_process";

/**
 * Runs Debian's promtool (package `prometheus`, installed by .ci/run). A missing promtool
 * rejects: the tests that lint with it must fail, not skip.
 */
export function promtool(args: string[], opts: { cwd?: string; input?: string } = {}): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn("promtool", args, { cwd: opts.cwd, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    p.stdout.on("data", (d: Buffer) => (output += d.toString()));
    p.stderr.on("data", (d: Buffer) => (output += d.toString()));
    p.on("error", (e) => reject(new Error(`promtool not runnable (apt-get install prometheus): ${e.message}`)));
    p.on("close", (code) => resolve({ code, output }));
    p.stdin.end(opts.input ?? "");
  });
}
