/**
 * A V8 CPU profile and JS heap readings of the Worker's own isolate, taken
 * through the runtime's DevTools inspector (Miniflare's inspector proxy).
 * Unlike /proc, this sees only the Worker's JavaScript: local D1's SQLite
 * work runs in another isolate (the D1 simulator's Durable Object) and in
 * native code, outside this profile.
 */

/** Opens a DevTools protocol session on `url`; `send(method, params)` resolves with the result. */
export async function openInspector(url) {
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.addEventListener("open", resolve, { once: true });
    ws.addEventListener("error", () => reject(new Error(`cannot open inspector ${url}`)), { once: true });
  });
  let id = 0;
  const waiting = new Map();
  ws.addEventListener("message", (event) => {
    const message = JSON.parse(String(event.data));
    const entry = message.id !== undefined ? waiting.get(message.id) : undefined;
    if (!entry) return;
    waiting.delete(message.id);
    if (message.error) entry.reject(new Error(`${entry.method}: ${message.error.message}`));
    else entry.resolve(message.result);
  });
  return {
    /** Rejects after `timeoutMs`, so a method the runtime does not answer cannot hang the benchmark. */
    send(method, params = {}, timeoutMs = 30_000) {
      const messageId = ++id;
      ws.send(JSON.stringify({ id: messageId, method, params }));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(messageId);
          reject(new Error(`${method}: no answer from the inspector in ${timeoutMs} ms`));
        }, timeoutMs);
        const settle = (fn) => (value) => {
          clearTimeout(timer);
          fn(value);
        };
        waiting.set(messageId, { method, resolve: settle(resolve), reject: settle(reject) });
      });
    },
    close: () => ws.close(),
  };
}

function label(frame) {
  const file = frame.url ? frame.url.split("/").at(-1) : "";
  return frame.functionName || (file ? `(anonymous ${file}:${frame.lineNumber + 1})` : "(anonymous)");
}

/**
 * Summarises a `Profiler.stop` profile: total sampled time, self time of the
 * heaviest functions, and inclusive time of the functions named in
 * `inclusiveOf` (a function counted once per sample even when recursive).
 */
export function summariseProfile(profile, inclusiveOf, top = 20) {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  const inclusive = new Map(inclusiveOf.map((name) => [name, 0]));
  let totalMs = 0;
  let idleMs = 0;
  for (let k = 0; k < profile.samples.length; k++) {
    const ms = (profile.timeDeltas[k] ?? 0) / 1000;
    const node = nodes.get(profile.samples[k]);
    const name = label(node.callFrame);
    totalMs += ms;
    if (name === "(idle)") {
      idleMs += ms;
      continue;
    }
    self.set(name, (self.get(name) ?? 0) + ms);
    const seen = new Set();
    for (let id = node.id; id !== undefined; id = parent.get(id)) {
      // esbuild may suffix a renamed function with a digit (`loadCategory2`).
      const fn = nodes.get(id).callFrame.functionName.replace(/\d+$/, "");
      if (inclusive.has(fn) && !seen.has(fn)) {
        seen.add(fn);
        inclusive.set(fn, inclusive.get(fn) + ms);
      }
    }
  }
  const heaviest = [...self].sort((x, y) => y[1] - x[1]).slice(0, top);
  return { totalMs, idleMs, busyMs: totalMs - idleMs, self: Object.fromEntries(heaviest), inclusive: Object.fromEntries(inclusive) };
}
