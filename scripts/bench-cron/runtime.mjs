/**
 * The Worker in the local Workers runtime for the cron benchmark: bundles
 * worker/index.ts, runs it in workerd through wrangler's own Miniflare with
 * the bindings of wrangler.toml (local D1, KV, R2, Durable Objects, Queues,
 * persisted under one directory, as `wrangler dev --persist-to DIR` does),
 * and reads the workerd process's CPU and memory from /proc.
 */
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const root = fileURLToPath(new URL("../..", import.meta.url));
const require = createRequire(join(root, "package.json"));
const wranglerEntry = require.resolve("wrangler");
const wrangler = await import(wranglerEntry);
// The Miniflare (and workerd) that wrangler itself runs `wrangler dev` with.
const { Miniflare, convertV4MiniflareOptions } = await import(createRequire(wranglerEntry).resolve("miniflare"));

/** Bundles the Worker the way wrangler does for workerd (ESM, worker conditions). */
export async function bundleWorker(outdir) {
  const outfile = join(outdir, "worker.mjs");
  await build({
    entryPoints: [join(root, "worker/index.ts")],
    outfile,
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2024",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["browser", "module", "main"],
    external: ["cloudflare:*"],
    logLevel: "warning",
  });
  return outfile;
}

/** Applies the D1 migrations to the local database persisted under `dir`. */
export function applyMigrations(dir) {
  execFileSync(process.execPath, [wranglerBin(), "d1", "migrations", "apply", "DB", "--local", "--persist-to", dir], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", CI: "1" },
  });
}

function wranglerBin() {
  return join(root, "node_modules/wrangler/bin/wrangler.js");
}

/**
 * Starts the Worker with wrangler.toml's bindings (static assets left out:
 * the cron does not use them) and state persisted under `dir/v3`, the layout
 * `wrangler dev --persist-to dir` uses. `worker` and `shared` add options.
 */
export async function startWorker(scriptPath, dir, { worker = {}, shared = {} } = {}) {
  const { workerOptions } = wrangler.unstable_getMiniflareWorkerOptions(join(root, "wrangler.toml"));
  delete workerOptions.assets;
  delete workerOptions.modulesRules;
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      workers: [
        {
          ...workerOptions,
          name: "edge-arena",
          rootPath: dirname(scriptPath),
          modules: true,
          scriptPath,
          ...worker,
          // The cron's anomaly test keys its hashes with the arena's secret, as in production.
          bindings: { ...workerOptions.bindings, SESSION_SECRET: "bench-cron-session-secret-0123456789abcdef", ...worker.bindings },
        },
      ],
      host: "127.0.0.1",
      port: 0,
      resourcePersistencePath: join(dir, "v3"),
      ...shared,
    }),
  );
  try {
    await mf.ready;
  } catch (error) {
    // A runtime that failed to start still holds Miniflare's servers open: release them.
    await mf.dispose().catch(() => {});
    throw error;
  }
  return mf;
}

/** The workerd process started by this process (Miniflare spawns exactly one). */
export function workerdPid() {
  const mine = String(process.pid);
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (fields[1] === mine && stat.includes("(workerd)")) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  throw new Error("no workerd child process found");
}

const TICKS_PER_SECOND = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim());

function cpuTicks(statPath) {
  const stat = readFileSync(statPath, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 of stat (1-based), 12 and 13 here.
  return { name: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")), ticks: Number(fields[11]) + Number(fields[12]) };
}

/** CPU time (ms) of the process and of each of its threads, from /proc. */
export function cpuSnapshot(pid) {
  const threads = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const { name, ticks } = cpuTicks(`/proc/${pid}/task/${tid}/stat`);
      threads[tid] = { name, ms: (ticks * 1000) / TICKS_PER_SECOND };
    } catch {
      // Thread ended.
    }
  }
  return { processMs: (cpuTicks(`/proc/${pid}/stat`).ticks * 1000) / TICKS_PER_SECOND, threads };
}

/** VmRSS and VmHWM of a process, in MB. */
export function memorySnapshot(pid) {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? NaN);
  return { rssMb: kb("VmRSS") / 1024, hwmMb: kb("VmHWM") / 1024 };
}

/**
 * Per-thread CPU used between two snapshots (ms), largest first; threads
 * that used none are left out.
 */
export function threadDeltas(before, after) {
  return Object.entries(after.threads)
    .map(([tid, t]) => ({ tid, name: t.name, ms: t.ms - (before.threads[tid]?.ms ?? 0) }))
    .filter((t) => t.ms > 0)
    .sort((x, y) => y.ms - x.ms);
}
