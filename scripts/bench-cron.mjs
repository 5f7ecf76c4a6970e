/**
 * `npm run bench:cron [-- --votes 1000000,10000000] [-- --models 300] [-- --no-profile] [-- --heap-limit MB[,MB…]] [-- --json FILE] [-- --state DIR] [-- --worker BUNDLE]`:
 * measures the whole ranking cron (worker/leaderboard) in the local Workers
 * runtime at scale.
 *
 * Per scale, in a fresh temporary state directory:
 * 1. generates the D1 aggregates that many counted votes would produce
 *    (scripts/bench-cron/generate.mjs: aggregates, not votes, since the cron
 *    reads only aggregates) and seeds them into local D1 after applying the
 *    migrations with wrangler;
 * 2. restarts workerd on that state, triggers the scheduled handler once and
 *    reads the workerd process's CPU time (utime + stime, per thread) and
 *    memory (VmRSS sampled every 10 ms, VmHWM) from /proc, with wall time;
 * 3. unless `--no-profile`, runs the cron again under the V8 CPU profiler of
 *    the Worker's isolate, sampling its JS heap, for the breakdown;
 * 4. ranks every category in Node from the same rows to separate the
 *    engine's CPU from the runtime's;
 * 5. with `--heap-limit MB`, runs the cron once more in a fresh workerd whose
 *    V8 heap is capped at MB (scripts/bench-cron/heap-cap.mjs) and records
 *    whether it completed and published every board; further values
 *    (`--heap-limit 128,96,64,48`) are tried in order, smaller caps after the
 *    first, until one fails, for the margin.
 * Prints a Markdown summary; `--json FILE` also writes every number;
 * `--worker BUNDLE` measures a prebuilt Worker bundle instead of the tree's.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, tmpdir, totalmem } from "node:os";
import { dirname, join, resolve as resolvePath } from "node:path";
import { parseArgs } from "node:util";
import { bundleRanking } from "./bench/bundle.mjs";
import { CATEGORIES } from "./bench-cron/generate.mjs";
import { openInspector, summariseProfile } from "./bench-cron/profile.mjs";
import { rankCategoriesInNode } from "./bench-cron/ranking-only.mjs";
import { attributeSnapshots, heapCapFlags, runtimeLog, withV8Flags } from "./bench-cron/heap-cap.mjs";
import { applyMigrations, bundleWorker, cpuSnapshot, memorySnapshot, startWorker, threadDeltas, workerdPid } from "./bench-cron/runtime.mjs";
import { seedAggregates } from "./bench-cron/seed.mjs";

const { values } = parseArgs({
  options: {
    votes: { type: "string", default: "1000000,10000000" },
    models: { type: "string", default: "300" },
    seed: { type: "string", default: "bench-cron" },
    "no-profile": { type: "boolean" },
    "heap-limit": { type: "string" },
    "heap-limit-timeout": { type: "string", default: "600" },
    json: { type: "string" },
    state: { type: "string" },
    worker: { type: "string" },
  },
});
const scales = values.votes.split(",").map(Number);
const models = Number(values.models);
const heapLimits = values["heap-limit"] === undefined ? [] : values["heap-limit"].split(",").map(Number);
if (heapLimits.some((mb) => !(mb >= 8)) || heapLimits.length > 6) throw new Error("--heap-limit takes up to 6 caps in MB (≥ 8), e.g. 128 or 128,96,64,48");
const heapLimitTimeoutMs = Number(values["heap-limit-timeout"]) * 1000;
const s = (ms) => `${(ms / 1000).toFixed(1)} s`;
const mb = (x) => `${x.toFixed(0)} MB`;
const n = (x) => x.toLocaleString("en-US");
const log = (message) => process.stderr.write(`bench:cron ${new Date().toISOString().slice(11, 19)} ${message}\n`);

/** Functions whose inclusive CPU the profile reports (worker/leaderboard and src/ranking names). */
const PROFILED = [
  "publishLeaderboards",
  "loadCategory",
  "rankLeaderboard",
  "buildDesign",
  "fitBradleyTerry",
  "sandwichStandardErrors",
  "buildMatrices",
  "publishBoard",
  "storeBoard",
  "buildModelDetails",
  "loadHistory",
  "syncModelCatalog",
];

/**
 * Runs the scheduled handler once and resolves when the cron has finished.
 * The dispatch answers after the handler's waitUntil work; when the local
 * connection drops on a long run (seen now and then at 10M votes) while
 * workerd lives on, completion is read from D1 instead: the cron writes its
 * `published` state just before the index, at the very end.
 */
async function scheduled(mf, pid, { scheduledTime = new Date(), signal } = {}) {
  const worker = await mf.getWorker();
  try {
    return await worker.scheduled({ scheduledTime, cron: "*/5 * * * *" });
  } catch (error) {
    if (!existsSync(`/proc/${pid}`)) throw error;
    log(`dispatch failed (${String(error)}); waiting for the published state`);
    const db = await mf.getD1Database("DB");
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      if (!existsSync(`/proc/${pid}`)) throw new Error("workerd exited while the cron ran", { cause: error });
      if (await db.prepare("SELECT 1 AS done FROM ranking_state WHERE key = 'published'").first()) return { outcome: "ok (from D1)" };
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Checks the run published every board and returns what it wrote. */
async function publishedState(mf) {
  const kv = await mf.getKVNamespace("LEADERBOARD");
  const index = await kv.get("leaderboard:index", "json");
  const db = await mf.getD1Database("DB");
  const state = await db.prepare("SELECT value FROM ranking_state WHERE key = 'published'").first();
  const value = JSON.parse(state?.value ?? "{}");
  const boards = (index?.categories ?? []).reduce((n, c) => n + c.styles.length, 0);
  return { categories: index?.categories.length ?? 0, boards, failed: value.failed ?? null, totalVotes: index?.totalVotes ?? 0, computedAt: index?.computedAt ?? null, stateWritten: state !== null };
}

/** One measured cron run in a freshly started workerd. */
async function measuredRun(script, dir) {
  const mf = await startWorker(script, dir);
  try {
    const pid = workerdPid();
    // A previous run on this state published this watermark; forget that, or the cron skips.
    await (await mf.getD1Database("DB")).prepare("DELETE FROM ranking_state WHERE key = 'published'").run();
    await (await mf.getWorker()).fetch("http://bench.local/api/leaderboard");
    const memBefore = memorySnapshot(pid);
    const cpuBefore = cpuSnapshot(pid);
    let peakRss = memBefore.rssMb;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, memorySnapshot(pid).rssMb);
    }, 10);
    const start = performance.now();
    const result = await scheduled(mf, pid);
    const wallMs = performance.now() - start;
    clearInterval(sampler);
    const cpuAfter = cpuSnapshot(pid);
    const memAfter = memorySnapshot(pid);
    peakRss = Math.max(peakRss, memAfter.rssMb);
    const threads = threadDeltas(cpuBefore, cpuAfter);
    return {
      outcome: result.outcome,
      wallMs,
      cpuMs: cpuAfter.processMs - cpuBefore.processMs,
      threads: threads.slice(0, 4),
      rssBeforeMb: memBefore.rssMb,
      hwmBeforeMb: memBefore.hwmMb,
      peakRssMb: peakRss,
      hwmAfterMb: memAfter.hwmMb,
      rssAfterMb: memAfter.rssMb,
      published: await publishedState(mf),
    };
  } finally {
    await mf.dispose();
  }
}

/**
 * The cron once in a fresh workerd with every isolate's V8 heap capped at
 * `heapLimitMb` (see scripts/bench-cron/heap-cap.mjs). Completed means the
 * scheduled handler returned, workerd survived, and this run (not an earlier
 * one) wrote the `published` state and the index; a workerd crash, the cron's
 * own failure or the timeout is `completed: false` with the reason. Pass is
 * completed with every category's two boards published and none failed.
 */
async function cappedRun(script, dir, heapLimitMb) {
  const snapshots = mkdtempSync(join(tmpdir(), "edge-arena-bench-cron-oom-"));
  const runtime = runtimeLog((line) => log(line));
  const flags = heapCapFlags(heapLimitMb);
  const expectedBoards = CATEGORIES.length * 2;
  log(`cron under a ${heapLimitMb} MB V8 heap cap (${flags.join(" ")})`);
  // Absolute before the working directory moves to the snapshots' directory.
  const [scriptPath, stateDir] = [resolvePath(script), resolvePath(dir)];
  try {
    return await withV8Flags(flags, snapshots, async () => {
      const mf = await startWorker(scriptPath, stateDir, { shared: { handleStructuredLogs: runtime.handle } }).catch((error) => ({ startError: error }));
      if (mf.startError) {
        return { heapLimitMb, flags, completed: false, pass: false, expectedBoards, published: null, error: `workerd did not start under the cap: ${runtime.fatal ?? String(mf.startError).split("\n")[0]}`, failedIsolate: attributeSnapshots(snapshots), lastGcs: runtime.lastGcs(), wallMs: 0, cpuMs: null };
      }
      const abort = new AbortController();
      let watch;
      try {
        const pid = workerdPid();
        await (await mf.getD1Database("DB")).prepare("DELETE FROM ranking_state WHERE key = 'published'").run();
        await (await mf.getWorker()).fetch("http://bench.local/api/leaderboard");
        const scheduledTime = new Date();
        const cpuBefore = cpuSnapshot(pid);
        const start = performance.now();
        const crashed = new Promise((_, reject) => {
          watch = setInterval(() => {
            if (!existsSync(`/proc/${pid}`)) reject(new Error("workerd exited"));
            else if (performance.now() - start > heapLimitTimeoutMs) reject(new Error(`timed out after ${heapLimitTimeoutMs / 1000} s`));
          }, 100);
        });
        crashed.catch(() => abort.abort(new Error("stopped")));
        let error = null;
        try {
          await Promise.race([scheduled(mf, pid, { scheduledTime, signal: abort.signal }), crashed]);
        } catch (caught) {
          error = caught;
        }
        const wallMs = performance.now() - start;
        // A crash can race the dispatch's answer, and its last output the exit: let both settle before judging.
        await new Promise((resolve) => setTimeout(resolve, 500));
        const alive = existsSync(`/proc/${pid}`);
        const cpuMs = alive ? cpuSnapshot(pid).processMs - cpuBefore.processMs : null;
        const published = alive ? await publishedState(mf) : null;
        const fresh = published?.computedAt === scheduledTime.toISOString() && published.stateWritten;
        const completed = error === null && alive && fresh;
        const reason = completed
          ? undefined
          : !alive
            ? `workerd died: ${runtime.fatal ?? "no V8 error in its output"}`
            : error
              ? String(error.message ?? error)
              : "the cron returned without publishing";
        const pass = completed && published.boards === expectedBoards && published.categories === CATEGORIES.length && (published.failed ?? []).length === 0;
        return {
          heapLimitMb,
          flags,
          completed,
          pass,
          expectedBoards,
          published: completed ? published : null,
          cronSummary: runtime.cronSummary,
          ...(reason === undefined ? {} : { error: reason }),
          ...(alive ? {} : { failedIsolate: attributeSnapshots(snapshots), lastGcs: runtime.lastGcs() }),
          wallMs,
          cpuMs,
        };
      } finally {
        clearInterval(watch);
        abort.abort(new Error("done"));
        await mf.dispose();
      }
    });
  } finally {
    rmSync(snapshots, { recursive: true, force: true });
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * The cron once more, under the V8 CPU profilers of the Worker's isolate and
 * of the local D1 simulator's isolate (whose time includes its SQLite calls),
 * sampling the Worker's JS heap.
 */
async function profiledRun(script, dir) {
  const port = await freePort();
  const mf = await startWorker(script, dir, { shared: { inspectorPort: port } });
  try {
    const db = await mf.getD1Database("DB");
    // The previous run published this watermark; forget that, or the cron skips.
    await db.prepare("DELETE FROM ranking_state WHERE key = 'published'").run();
    await (await mf.getWorker()).fetch("http://bench.local/api/leaderboard");
    const worker = await openInspector(`ws://127.0.0.1:${port}/core:user:edge-arena`);
    const d1 = await openInspector(`ws://127.0.0.1:${port}/d1:db`);
    for (const session of [worker, d1]) {
      await session.send("Profiler.enable");
      await session.send("Profiler.setSamplingInterval", { interval: 500 });
    }
    // workerd's inspector answers Runtime.getHeapUsage but not HeapProfiler.collectGarbage.
    const heapBefore = await worker.send("Runtime.getHeapUsage");
    const d1HeapBefore = await d1.send("Runtime.getHeapUsage");
    // Outside the V8 heap (and outside a --max-heap-size cap): ArrayBuffer backing stores and the runtime's cppgc objects.
    const peaks = { used: heapBefore.usedSize, total: heapBefore.totalSize, backing: heapBefore.backingStorageSize ?? 0, embedder: heapBefore.embedderHeapUsedSize ?? 0, d1Used: d1HeapBefore.usedSize, samples: 0 };
    let polling = true;
    // An isolate answers only between tasks, so a reading can wait for a long synchronous stretch.
    const pollHeap = async (session, record) => {
      while (polling) {
        record(await session.send("Runtime.getHeapUsage", {}, 600_000));
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };
    const poll = Promise.all([
      pollHeap(worker, (usage) => {
        peaks.samples++;
        peaks.used = Math.max(peaks.used, usage.usedSize);
        peaks.total = Math.max(peaks.total, usage.totalSize);
        peaks.backing = Math.max(peaks.backing, usage.backingStorageSize ?? 0);
        peaks.embedder = Math.max(peaks.embedder, usage.embedderHeapUsedSize ?? 0);
      }),
      pollHeap(d1, (usage) => {
        peaks.d1Used = Math.max(peaks.d1Used, usage.usedSize);
      }),
    ]);
    await worker.send("Profiler.start");
    await d1.send("Profiler.start");
    const start = performance.now();
    await scheduled(mf, workerdPid());
    const wallMs = performance.now() - start;
    const { profile } = await worker.send("Profiler.stop", {}, 600_000);
    const { profile: d1Profile } = await d1.send("Profiler.stop", {}, 600_000);
    polling = false;
    await poll;
    worker.close();
    d1.close();
    return {
      wallMs,
      heapBeforeMb: heapBefore.usedSize / 2 ** 20,
      heapPeakUsedMb: peaks.used / 2 ** 20,
      heapPeakTotalMb: peaks.total / 2 ** 20,
      backingStoragePeakMb: peaks.backing / 2 ** 20,
      embedderHeapPeakMb: peaks.embedder / 2 ** 20,
      d1HeapPeakUsedMb: peaks.d1Used / 2 ** 20,
      heapSamples: peaks.samples,
      profile: summariseProfile(profile, PROFILED),
      d1Profile: summariseProfile(d1Profile, [], 8),
    };
  } finally {
    await mf.dispose();
  }
}

/**
 * A state directory per scale: fresh and removed afterwards, or, with
 * `--state DIR`, `DIR/<votes>` kept and reused once seeded (to iterate on
 * the Worker without reseeding).
 */
async function seededState(votes, ranking, script) {
  const keep = values.state !== undefined;
  const dir = keep ? join(values.state, String(votes)) : mkdtempSync(join(tmpdir(), "edge-arena-bench-cron-"));
  const marker = join(dir, "seeded.json");
  if (keep && existsSync(marker)) return { dir, keep, seeded: JSON.parse(readFileSync(marker, "utf8")) };
  mkdirSync(dir, { recursive: true });
  log(`${votes.toLocaleString("en-US")} votes: migrations`);
  applyMigrations(dir);
  log("seeding");
  const mf = await startWorker(script, dir);
  try {
    const seeded = await seedAggregates(ranking, await mf.getD1Database("DB"), { votes, models, seed: values.seed });
    writeFileSync(marker, JSON.stringify(seeded));
    return { dir, keep, seeded };
  } finally {
    await mf.dispose();
  }
}

/**
 * `--heap-limit A,B,…`: the cron under cap A (the judged one), then, if it
 * passed, under B, C, … in turn until one fails. `smallestPassingMb` is the
 * smallest cap tried that passed.
 */
async function heapCapRuns(script, dir) {
  if (heapLimits.length === 0) return {};
  const runs = [];
  for (const mb of heapLimits) {
    const run = await cappedRun(script, dir, mb);
    log(`${mb} MB cap: ${run.pass ? "completed, every board published" : `did not pass (${run.error ?? `${run.published?.boards} of ${run.expectedBoards} boards`})`}${run.failedIsolate?.isolates.length ? `; cap hit in ${run.failedIsolate.isolates.join(", ")}` : ""}, ${(run.wallMs / 1000).toFixed(1)} s`);
    runs.push(run);
    if (!run.pass) break;
  }
  const passing = runs.filter((r) => r.pass).map((r) => r.heapLimitMb);
  return {
    heapLimit: runs[0],
    heapLimitSearch: runs.length > 1 || heapLimits.length > 1 ? { tried: runs.map(({ heapLimitMb, pass, error, failedIsolate, wallMs, cpuMs }) => ({ heapLimitMb, pass, error, isolates: failedIsolate?.isolates, wallMs, cpuMs })), smallestPassingMb: passing.length ? Math.min(...passing) : null } : undefined,
  };
}

async function benchScale(votes, ranking, script) {
  const { dir, keep, seeded } = await seededState(votes, ranking, script);
  try {
    log(`${n(seeded.pairRows)} pair rows, ${n(seeded.styleRows)} style rows; cron run`);
    const run = await measuredRun(script, dir);
    log(`cron: ${(run.wallMs / 1000).toFixed(1)} s wall, ${(run.cpuMs / 1000).toFixed(1)} s CPU`);
    let profiled = null;
    if (!values["no-profile"]) {
      log("profiled cron run");
      profiled = await profiledRun(script, dir).catch((error) => ({ error: String(error) }));
    }
    log("ranking in Node");
    const mf = await startWorker(script, dir);
    const node = await rankCategoriesInNode(ranking, await mf.getD1Database("DB")).finally(() => mf.dispose());
    const { heapLimit, heapLimitSearch } = await heapCapRuns(script, dir);
    return { votes, models, categories: CATEGORIES.length, seeded, run, profiled, node, ...(heapLimit ? { heapLimit, heapLimitSearch } : {}) };
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

const rankingBundle = await bundleRanking();
const ranking = await import(rankingBundle);
const workDir = mkdtempSync(join(tmpdir(), "edge-arena-bench-cron-worker-"));
const results = [];
try {
  const script = values.worker ?? (await bundleWorker(workDir));
  for (const votes of scales) {
    results.push(await benchScale(votes, ranking, script));
    if (values.json) writeFileSync(values.json, `${JSON.stringify({ results }, null, 2)}\n`);
  }
} finally {
  rmSync(workDir, { recursive: true, force: true });
  rmSync(dirname(rankingBundle), { recursive: true, force: true });
}

const sum = (rows, key) => rows.reduce((t, r) => t + r[key], 0);
const lines = [
  "| votes | pair rows | style rows | wall | workerd CPU | main thread | RSS before → peak (Δ) | ranking CPU in Node (default + control) | Worker JS heap peak |",
  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  ...results.map(
    (r) =>
      `| ${n(r.votes)} | ${n(r.seeded.pairRows)} | ${n(r.seeded.styleRows)} | ${s(r.run.wallMs)} | ${s(r.run.cpuMs)} | ${s(r.run.threads[0]?.ms ?? 0)} | ${mb(r.run.rssBeforeMb)} → ${mb(r.run.peakRssMb)} (${mb(r.run.peakRssMb - r.run.rssBeforeMb)}) | ${s(sum(r.node, "defaultMs"))} + ${s(sum(r.node, "controlMs"))} | ${r.profiled?.heapPeakUsedMb === undefined ? "–" : `≥ ${mb(r.profiled.heapPeakUsedMb)}${r.profiled.backingStoragePeakMb === undefined ? "" : ` (+ ArrayBuffers ≥ ${mb(r.profiled.backingStoragePeakMb)})`}`} |`,
  ),
];
const profiled = results.filter((r) => r.profiled?.profile);
if (profiled.length > 0) {
  const self = (p, name) => p.self[name] ?? 0;
  lines.push(
    "",
    "| votes | Worker isolate: JS busy (excl. `(program)`) | `(program)` | GC | rankLeaderboard | loadCategory | D1 rows → objects | D1 simulator isolate busy |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ...profiled.map(({ votes, profiled: { profile: p, d1Profile } }) =>
      [
        n(votes),
        s(p.busyMs - self(p, "(program)")),
        s(self(p, "(program)")),
        s(self(p, "(garbage collector)")),
        s(p.inclusive.rankLeaderboard),
        s(p.inclusive.loadCategory),
        s(self(p, "(anonymous cloudflare-internal:d1-api:594)")),
        s(d1Profile.busyMs),
      ].join(" | ").replace(/^/, "| ").concat(" |"),
    ),
  );
}
const capped = results.filter((r) => r.heapLimit);
if (capped.length > 0) {
  lines.push(
    "",
    "| votes | V8 heap cap (every isolate) | completed | boards published | failed categories | wall | workerd CPU | smallest passing cap tried | failure |",
    "|---:|---:|---|---:|---|---:|---:|---:|---|",
    ...capped.map(({ votes, heapLimit: h, heapLimitSearch: search }) =>
      [
        n(votes),
        `${h.heapLimitMb} MB`,
        h.completed ? "yes" : "**no**",
        `${h.published?.boards ?? 0} of ${h.expectedBoards}`,
        h.published ? (h.published.failed?.length ? h.published.failed.join(", ") : "none") : "–",
        s(h.wallMs),
        h.cpuMs == null ? "–" : s(h.cpuMs),
        search ? (search.smallestPassingMb === null ? "none" : `${search.smallestPassingMb} MB (tried ${search.tried.map((t) => `${t.heapLimitMb}${t.pass ? " ✓" : " ✗"}`).join(", ")})`) : "–",
        h.error ? `${h.error}${h.failedIsolate?.isolates.length ? ` (in ${h.failedIsolate.isolates.join(", ")})` : ""}` : "–",
      ].join(" | ").replace(/^/, "| ").concat(" |"),
    ),
  );
}
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? "unknown CPU"}, ${(totalmem() / 2 ** 30).toFixed(0)} GB RAM, Node ${process.version}`;
process.stdout.write(`${lines.join("\n")}\n\nMachine: ${machine}\n`);
if (values.json) writeFileSync(values.json, `${JSON.stringify({ machine, results }, null, 2)}\n`);
