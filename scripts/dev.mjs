#!/usr/bin/env node
// `npm run dev`: builds the client, applies D1 migrations to the local
// database, and starts the Worker on http://localhost:8787 with local D1, KV,
// Durable Objects, Queues and R2 and the offline demo models switched on.
// Extra arguments are passed to `wrangler dev` (e.g. `npm run dev -- --port 9000`).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

// Local secrets live in .dev.vars (not committed), each generated once: SESSION_SECRET signs
// sessions, ADMIN_TOKEN opens the admin routes, LAB_SECRETS_KEY seals lab secrets.
let devVars = existsSync(".dev.vars") ? readFileSync(".dev.vars", "utf8") : "";
for (const name of ["SESSION_SECRET", "ADMIN_TOKEN", "LAB_SECRETS_KEY"]) {
  if (new RegExp(`^${name}=`, "m").test(devVars)) continue;
  devVars = `${devVars}${devVars && !devVars.endsWith("\n") ? "\n" : ""}${name}=${randomBytes(32).toString("hex")}\n`;
  writeFileSync(".dev.vars", devVars);
}

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
  [
    "wrangler", "dev", "--var", "DEMO_MODELS:on", "--test-scheduled",
    // Local development: lab endpoints and webhook receivers on this machine are allowed.
    "--var", "OUTBOUND_ALLOW_LOOPBACK:on", "--var", "OUTBOUND_ALLOW_HTTP:on",
    // Defaults only: `npm run dev -- --port 9000` must not pass --port twice.
    ...(passThrough.includes("--port") ? [] : ["--port", "8787"]),
    ...(passThrough.includes("--ip") ? [] : ["--ip", "127.0.0.1"]),
    ...passThrough,
  ],
  { stdio: "inherit", env },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));
