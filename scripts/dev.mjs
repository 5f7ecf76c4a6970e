#!/usr/bin/env node
// `npm run dev`: builds the client, applies D1 migrations to the local
// database, makes sure a local SESSION_SECRET exists, and starts the Worker on
// http://127.0.0.1:8787 with local D1, KV, Durable Objects, Queues and R2 and
// the offline demo models switched on.
// Extra arguments are passed to `wrangler dev`; `--port` and `--ip` replace
// the defaults (e.g. `npm run dev -- --port 9000`).
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

const DEV_VARS = ".dev.vars";
const DEFAULTS = { "--port": "8787", "--ip": "127.0.0.1" };

function run(command, args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", ...options });
    child.on("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? code})`)),
    );
  });
}

/** Whether `flag` is among `args`, as `--flag value` or `--flag=value`. */
function hasFlag(args, flag) {
  return args.some((arg) => arg === flag || arg.startsWith(`${flag}=`));
}

/** The value given for `flag` (`--flag value` or `--flag=value`), or undefined. */
function flagValue(args, flag) {
  for (const [i, arg] of args.entries()) {
    if (arg === flag) return args[i + 1];
    if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
  }
  return undefined;
}

/**
 * Signed sessions need a SESSION_SECRET. `wrangler dev` reads secrets from
 * .dev.vars (git-ignored), so a random one is written there once and kept,
 * which keeps local sessions valid across restarts.
 */
function ensureLocalSessionSecret() {
  const current = existsSync(DEV_VARS) ? readFileSync(DEV_VARS, "utf8") : "";
  if (/^\s*SESSION_SECRET\s*=/m.test(current)) return;
  const separator = current === "" || current.endsWith("\n") ? "" : "\n";
  writeFileSync(DEV_VARS, `${current}${separator}SESSION_SECRET="${randomBytes(32).toString("hex")}"\n`, { mode: 0o600 });
  console.log(`Wrote a local SESSION_SECRET to ${DEV_VARS}.`);
}

const env = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" };
const passThrough = process.argv.slice(2);
const persistTo = flagValue(passThrough, "--persist-to");
const stateArgs = persistTo ? ["--persist-to", persistTo] : [];
const defaults = Object.entries(DEFAULTS).flatMap(([flag, value]) => (hasFlag(passThrough, flag) ? [] : [flag, value]));

ensureLocalSessionSecret();
await run("npx", ["vite", "build", "client", "--logLevel", "warn"], { env });
await run("node", ["scripts/copy-api-docs-assets.mjs"], { env });
await run("npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local", ...stateArgs], { env });
const dev = spawn("npx", ["wrangler", "dev", "--var", "DEMO_MODELS:on", "--test-scheduled", ...defaults, ...passThrough], {
  stdio: "inherit",
  env,
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => dev.kill(signal));
dev.on("exit", (code) => process.exit(code ?? 0));
