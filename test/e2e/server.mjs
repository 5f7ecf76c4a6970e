/**
 * Starts a private arena for the browser tests: builds the client, applies
 * the D1 migrations to a fresh local state directory, and runs `wrangler dev`
 * on a free loopback port with the offline demo models. Only the processes
 * started here are stopped, by their process group.
 */
import { randomBytes } from "node:crypto";
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");
const BIN = join(ROOT, "node_modules/.bin");
const ENV = {
  ...process.env,
  // Node 22 from the `node` devDependency first, as `npm run` would do.
  PATH: `${BIN}:${process.env.PATH}`,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  CI: "1",
};

/** A free TCP port on the loopback interface. */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

function run(command, args, timeoutMs) {
  return new Promise((resolveRun, reject) => {
    const child = spawn(join(BIN, command), args, { cwd: ROOT, env: ENV, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGTERM"), timeoutMs);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolveRun(output);
      else reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? code}):\n${output}`));
    });
  });
}

async function waitUntilReady(baseUrl, readyPath, child, logs, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${logs()}`);
    try {
      const response = await fetch(`${baseUrl}${readyPath}`, { signal: AbortSignal.timeout(2000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev was not ready within ${timeoutMs} ms:\n${logs()}`);
}

/**
 * Runs `wrangler dev` on free loopback ports with `stateDir` as its local
 * state, in its own process group, and resolves once `readyPath` answers
 * 200. `stop` ends that group (wrangler and the workerd it spawns) and
 * removes `stateDir`; so does this process exiting.
 * @param {{ stateDir: string, args?: string[], readyPath: string }} options `args`: more `wrangler dev` arguments
 * @returns {Promise<{ baseUrl: string, inspectorPort: number, logs: () => string, stop: () => Promise<void> }>}
 */
export async function startWranglerDev({ stateDir, args = [], readyPath }) {
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const child = spawn(
    join(BIN, "wrangler"),
    [
      "dev",
      "--ip", "127.0.0.1",
      "--port", String(port),
      "--inspector-port", String(inspectorPort),
      "--persist-to", stateDir,
      "--show-interactive-dev-session=false",
      ...args,
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
    await waitUntilReady(baseUrl, readyPath, child, logs, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, inspectorPort, logs, stop };
}

/**
 * Builds and starts the arena.
 * @param {{ build?: boolean, vars?: Record<string, string> }} options `build: false` reuses
 *   dist/client (E2E_SKIP_BUILD=1); `vars` are extra Worker variables (`--var NAME:value`).
 * @returns {Promise<{ baseUrl: string, stateDir: string, inspectorPort: number, logs: () => string, stop: () => Promise<void> }>}
 */
export async function startArena({ build = true, vars = {} } = {}) {
  const stateDir = await mkdtemp(join(tmpdir(), "edge-arena-e2e-"));
  // A private build, so a concurrent `npm run dev` or build cannot swap the
  // assets under the tests; without a build, the last dist/client is served.
  const assetsDir = build ? join(stateDir, "client") : join(ROOT, "dist/client");
  try {
    if (build) await run("vite", ["build", "client", "--logLevel", "warn", "--outDir", assetsDir, "--emptyOutDir"], 120_000);
    await run("wrangler", ["d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir], 120_000);
  } catch (error) {
    await rm(stateDir, { recursive: true, force: true });
    throw error;
  }
  const server = await startWranglerDev({
    stateDir,
    readyPath: "/api/v1/models",
    args: [
      "--assets", assetsDir,
      "--test-scheduled",
      "--var", "DEMO_MODELS:on",
      "--var", `SESSION_SECRET:${randomBytes(32).toString("hex")}`,
      "--var", "DEMO_TOKEN_DELAY_MS:2",
      ...Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]),
    ],
  });
  return { ...server, stateDir };
}
