#!/usr/bin/env node
// `npm run dev`: builds the client, applies D1 migrations to the local
// database, and starts the Worker on http://localhost:8787 with local D1, KV,
// Durable Objects, Queues and R2 and the offline demo models switched on.
// Extra arguments are passed to `wrangler dev` (e.g. `npm run dev -- --port 9000`).
import { spawn } from "node:child_process";

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", ...options });
    child.on("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? code})`)),
    );
  });
}

const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" };
const passThrough = process.argv.slice(2);
const stateArgs = passThrough.includes("--persist-to")
  ? ["--persist-to", passThrough[passThrough.indexOf("--persist-to") + 1]]
  : [];

await run("npx", ["vite", "build", "client", "--logLevel", "warn"], { env });
await run("node", ["scripts/copy-api-docs-assets.mjs"], { env });
await run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", ...stateArgs], { env });
const dev = spawn(
  "npx",
  ["wrangler", "dev", "--var", "DEMO_MODELS:on", "--test-scheduled", "--port", "8787", "--ip", "127.0.0.1", ...passThrough],
  { stdio: "inherit", env },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));
