/**
 * Child process of the benchmark: runs one scenario against the bundled
 * engine and prints its result, with this process's peak RSS, as JSON.
 */
import { scenarios } from "./scenarios.mjs";

const [name, bundle] = process.argv.slice(2);
const ranking = await import(bundle);
const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
const result = scenarios[name](ranking);
process.stdout.write(
  `${JSON.stringify({ name, ...result, rssBeforeMb, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
