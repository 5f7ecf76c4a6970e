// Prints the scrubber's per-kind precision and recall over the labelled examples as a Markdown table.
import { spawnSync } from "node:child_process";

const run = spawnSync("npx", ["vitest", "run", "--project", "unit", "src/accounts/scrub.test.ts"], {
  env: { ...process.env, SCRUB_REPORT: "1", NO_COLOR: "1" },
  encoding: "utf8",
});
const lines = run.stdout.split("\n").filter((line) => line.startsWith("| "));
console.log(lines.join("\n"));
process.exit(run.status ?? 1);
