/**
 * Starts the benchmark's floor Worker (worker.js beside this file) with
 * `wrangler dev` on a free loopback port and a fresh temporary state
 * directory, in its own process group; `stop` ends that group (wrangler and
 * the workerd it spawns) and removes the directory.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort } from "../../../test/e2e/server.mjs";

const ROOT = resolve(import.meta.dirname, "../../..");
const BIN = join(ROOT, "node_modules/.bin");
const CONFIG = join(import.meta.dirname, "wrangler.toml");
const ENV = {
  ...process.env,
  // Node 22 from the `node` devDependency first, as `npm run` would do.
  PATH: `${BIN}:${process.env.PATH}`,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  CI: "1",
};

async function waitUntilReady(baseUrl, child, logs, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`floor: wrangler dev exited early:\n${logs()}`);
    try {
      const response = await fetch(`${baseUrl}/trivial`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`floor: wrangler dev was not ready within ${timeoutMs} ms:\n${logs()}`);
}

/**
 * Starts the floor Worker.
 * @param {{ providerUrl?: string }} options the provider's base URL (default: wrangler.toml's, 127.0.0.1:11434)
 * @returns {Promise<{ baseUrl: string, logs: () => string, stop: () => Promise<void> }>}
 */
export async function startFloor({ providerUrl } = {}) {
  const stateDir = await mkdtemp(join(tmpdir(), "edge-arena-bench-floor-"));
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const child = spawn(
    join(BIN, "wrangler"),
    [
      "dev",
      "--config", CONFIG,
      "--ip", "127.0.0.1",
      "--port", String(port),
      "--inspector-port", String(inspectorPort),
      "--persist-to", stateDir,
      "--show-interactive-dev-session=false",
      ...(providerUrl ? ["--var", `PROVIDER_URL:${providerUrl}`] : []),
    ],
    // Its own process group, so stopping it also stops the workerd it spawns.
    { cwd: ROOT, env: ENV, stdio: ["ignore", "pipe", "pipe"], detached: true },
  );
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const logs = () => output.slice(-6000);
  // Detached, the server would outlive an interrupted run: stop it on the way out.
  const killOnExit = () => {
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      // Already gone.
    }
  };
  process.once("exit", killOnExit);
  for (const signal of ["SIGINT", "SIGTERM"]) {
    process.once(signal, () => {
      killOnExit();
      process.exit(130);
    });
  }
  const baseUrl = `http://127.0.0.1:${port}`;

  const stop = async () => {
    process.removeListener("exit", killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        // Already gone.
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(stateDir, { recursive: true, force: true });
  };

  try {
    await waitUntilReady(baseUrl, child, logs, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, logs, stop };
}
