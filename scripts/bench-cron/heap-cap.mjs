/**
 * The ranking cron under a capped V8 heap, for an honest pass/fail on the
 * Workers memory limit (128 MB per isolate): local workerd enforces no limit,
 * so the V8 heap is capped with V8's own flags and the cron either finishes
 * or workerd dies with "Reached heap limit".
 *
 * The flags. `--max-heap-size=N` bounds the whole V8 heap at N MB: V8 sizes
 * the young generation (two semi-spaces and the new large-object space) from
 * N and gives the old generation the rest (Heap::ConfigureHeap), and the old
 * generation counts old, code, large-object and trusted space. The
 * alternative, `--max-old-space-size=N`, bounds the old generation only, with
 * the young generation on top of it (up to 3 × `--max-semi-space-size`), so
 * it is not a bound on the whole heap; V8 refuses all three together. Checked
 * in this workerd with `--trace-gc-verbose`: the memory allocator's "used +
 * available" is 131,072 KB (128 MB) under `--max-heap-size=128` and
 * 229,376 KB (224 MB) under `--max-old-space-size=128`.
 *
 * Not counted against the cap:
 * - ArrayBuffer and typed-array backing stores (a `Float64Array` of more than
 *   a few elements lives outside the heap) and other external memory: V8 only
 *   schedules GCs on it;
 * - the runtime's C++ side: cppgc-managed API objects, D1 results and KV
 *   values while in workerd's C++ code, sockets, the compiled code cache.
 * Cloudflare's 128 MB counts the isolate's memory as a whole, so passing here
 * is necessary, not sufficient; the external part has to stay small too.
 *
 * V8 flags are process-wide: every isolate in that workerd process gets the
 * same cap, the local D1 simulator's isolate (`d1:db`) and Miniflare's own
 * service Workers included. A failure therefore says which isolate hit the
 * cap: V8 writes a heap snapshot on its last-resort GC
 * (`--heap-snapshot-on-oom`, into workerd's working directory), and the
 * snapshot's strings name the code loaded in that isolate.
 *
 * Miniflare passes `MINIFLARE_WORKERD_V8_FLAGS` (space-separated) into
 * workerd's config each time it assembles it: on `new Miniflare` (while
 * `mf.ready` is pending) and again when it restarts a crashed workerd. The
 * variable is therefore set before the Miniflare is created and kept until
 * it is disposed.
 */
import { closeSync, openSync, readdirSync, readSync, rmSync } from "node:fs";
import { join } from "node:path";

export const V8_FLAGS_ENV = "MINIFLARE_WORKERD_V8_FLAGS";

/** The V8 flags for a whole-heap cap of `mb` MB, with a heap snapshot on failure. */
export function heapCapFlags(mb, { snapshot = true } = {}) {
  return [`--max-heap-size=${mb}`, ...(snapshot ? ["--heap-snapshot-on-oom"] : [])];
}

/**
 * Runs `fn` with `MINIFLARE_WORKERD_V8_FLAGS` set to `flags` and the working
 * directory at `cwd` (where workerd, inheriting it, writes heap snapshots),
 * restoring both afterwards. `fn` must dispose of its Miniflare before it
 * returns, so a restart after a crash still sees the flags.
 */
export async function withV8Flags(flags, cwd, fn) {
  const previous = process.env[V8_FLAGS_ENV];
  const previousCwd = process.cwd();
  process.env[V8_FLAGS_ENV] = flags.join(" ");
  process.chdir(cwd);
  try {
    return await fn();
  } finally {
    process.chdir(previousCwd);
    if (previous === undefined) delete process.env[V8_FLAGS_ENV];
    else process.env[V8_FLAGS_ENV] = previous;
  }
}

/**
 * Keeps what workerd writes to stdout and stderr (as Miniflare's
 * `handleStructuredLogs` hands it over, one line per call): the fatal V8
 * error, V8's "Last few GCs" trace of the isolate that failed, the cron's own
 * summary line; errors and warnings are echoed to our stderr.
 */
export function runtimeLog(echo) {
  const lines = [];
  let fatal = null;
  let cronSummary = null;
  const handle = ({ level, message }) => {
    lines.push(`${level}: ${message}`);
    if (lines.length > 400) lines.shift();
    if (fatal === null && /V8 fatal error|out of memory|Reached heap limit/i.test(message)) fatal = message.trim();
    if (message.startsWith('{"cron":"ranking"')) {
      try {
        cronSummary = JSON.parse(message);
      } catch {
        // Not the summary after all.
      }
    }
    // workerd's warning that its compile cache does not apply is noise here.
    if (echo && ["error", "fatal", "warn"].includes(level) && !message.startsWith("stack:") && !message.includes("compile cache")) echo(`workerd ${level}: ${message.slice(0, 300)}`);
  };
  return {
    handle,
    get fatal() {
      return fatal;
    },
    get cronSummary() {
      return cronSummary;
    },
    /** V8's trace of the failing isolate's last GCs (`[pid:isolate] t ms: Mark-Compact a (b) -> c (d) MB, …`). */
    lastGcs: () => lines.map((l) => l.replace(/^\w+: /, "")).filter((l) => /^\[\d+:0x[0-9a-f]+\]\s+\d+ ms: /.test(l)),
    tail: (n = 20) => lines.filter((l) => !l.includes("stack: ")).slice(-n),
  };
}

/**
 * Which isolate the heap snapshots in `dir` come from, by strings only one
 * isolate holds: the Worker bundle's function names, or the local D1
 * simulator's module. Deletes the snapshots (each is several times the heap).
 */
export function attributeSnapshots(dir) {
  const files = readdirSync(dir).filter((f) => f.endsWith(".heapsnapshot"));
  const markers = {
    "core:user:edge-arena (the Worker)": ["publishLeaderboards", "rankLeaderboard"],
    "d1:db (local D1 simulator)": ["workers/d1/database.worker.js"],
  };
  const found = new Set();
  for (const file of files) {
    const path = join(dir, file);
    for (const [isolate, words] of Object.entries(markers)) if (fileContainsAny(path, words)) found.add(isolate);
    rmSync(path, { force: true });
  }
  return { snapshots: files.length, isolates: [...found] };
}

function fileContainsAny(path, words) {
  const needles = words.map((w) => Buffer.from(w));
  const overlap = Math.max(...needles.map((b) => b.length));
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(8 * 2 ** 20 + overlap);
    let carried = 0;
    for (;;) {
      const read = readSync(fd, buffer, carried, buffer.length - carried, null);
      if (read === 0) return false;
      const view = buffer.subarray(0, carried + read);
      if (needles.some((n) => view.includes(n))) return true;
      carried = Math.min(overlap, view.length);
      view.copyWithin(0, view.length - carried);
    }
  } finally {
    closeSync(fd);
  }
}
