#!/usr/bin/env node
// `npm test`: the type check, every vitest project (unit + Worker inside
// workerd), then the browser end-to-end tests, and one closing line that adds
// them all up: "N passed, N failed". Stops at the first stage that fails.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const scratch = mkdtempSync(join(tmpdir(), "edge-arena-test-"));
const totals = { passed: 0, failed: 0 };

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: "inherit" });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function finish(code) {
  rmSync(scratch, { recursive: true, force: true });
  console.log(`\n${totals.passed} passed, ${totals.failed} failed`);
  process.exit(code);
}

if ((await run("npx", ["tsc", "--noEmit", "-p", "."])) !== 0) {
  console.error("type check failed");
  totals.failed += 1;
  finish(1);
}

const vitestReport = join(scratch, "vitest.json");
const vitestCode = await run("npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport}`]);
try {
  const report = JSON.parse(readFileSync(vitestReport, "utf8"));
  totals.passed += report.numPassedTests;
  totals.failed += report.numFailedTests;
} catch {
  totals.failed += 1;
}
if (vitestCode !== 0) finish(vitestCode);

const tapReport = join(scratch, "e2e.tap");
const e2eCode = await run("node", [
  "--test",
  "--test-concurrency=1",
  "--test-timeout=300000",
  "--test-reporter=spec",
  "--test-reporter-destination=stdout",
  "--test-reporter=tap",
  `--test-reporter-destination=${tapReport}`,
  ...process.argv.slice(2).filter((a) => a.endsWith(".mjs")),
]);
try {
  const tap = readFileSync(tapReport, "utf8");
  totals.passed += Number(tap.match(/^# pass (\d+)$/m)?.[1] ?? 0);
  totals.failed += Number(tap.match(/^# fail (\d+)$/m)?.[1] ?? 0);
} catch {
  totals.failed += 1;
}
finish(e2eCode);
