import { hashPassword } from "@/lib/auth/password";

// Prints a scrypt hash for auth.users[].passwordHash. The password is read from stdin, never
// from the command line (it would land in shell history and `ps`), without echo on a terminal:
//   npm run hash-password            (asks twice)
//   printf '%s' "$PW" | npm run -s hash-password

async function readHidden(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  stdin.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    let value = "";
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n") {
          stdin.setRawMode(false);
          stdin.pause();
          stdin.off("data", onData);
          process.stderr.write("\n");
          resolve(value);
          return;
        }
        if (ch === "\u0003") {
          stdin.setRawMode(false);
          process.stderr.write("\n");
          reject(new Error("cancelled"));
          return;
        }
        if (ch === "\u007f" || ch === "\b") value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on("data", onData);
  });
}

async function readPiped(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // One trailing newline (from `echo`) is not part of the password.
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

async function main() {
  let password: string;
  if (process.stdin.isTTY) {
    password = await readHidden("Password: ");
    const again = await readHidden("Again: ");
    if (password !== again) throw new Error("the two passwords differ");
  } else {
    password = await readPiped();
  }
  if (password.length < 12) process.stderr.write("warning: a password shorter than 12 characters is easy to guess\n");
  process.stdout.write(`${await hashPassword(password)}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`hash-password: ${(e as Error).message}\n`);
  process.exit(1);
});
