import { boot } from "@/lib/server/wiring/boot";

// pgpulse's start-up as instrumentation.ts runs it, in a process of its own, so a test can see
// how a failed start ends: exit code and stderr. Run with
// `node --conditions=react-server --import tsx test/startup/boot-child.ts`.

await boot();
// Only failures are under test: a start that succeeds ends here rather than serving.
console.log("pgpulse started");
process.exit(0);
