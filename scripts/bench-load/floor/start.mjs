/**
 * Starts the benchmark's floor Worker (worker.js beside this file) with
 * `wrangler dev` on a free loopback port and a fresh temporary state
 * directory, in its own process group; `stop` ends that group (wrangler and
 * the workerd it spawns) and removes the directory.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startWranglerDev } from "../../../test/e2e/server.mjs";

const CONFIG = join(import.meta.dirname, "wrangler.toml");

/**
 * Starts the floor Worker.
 * @param {{ providerUrl?: string }} options the provider's base URL (default: wrangler.toml's, 127.0.0.1:11434)
 * @returns {Promise<{ baseUrl: string, logs: () => string, stop: () => Promise<void> }>}
 */
export async function startFloor({ providerUrl } = {}) {
  const stateDir = await mkdtemp(join(tmpdir(), "edge-arena-bench-floor-"));
  const { baseUrl, logs, stop } = await startWranglerDev({
    stateDir,
    readyPath: "/trivial",
    args: ["--config", CONFIG, ...(providerUrl ? ["--var", `PROVIDER_URL:${providerUrl}`] : [])],
  });
  return { baseUrl, logs, stop };
}
