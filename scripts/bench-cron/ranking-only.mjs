/**
 * The ranking part of the cron alone, in Node, on the very rows the Worker
 * read: per category, the two `rankLeaderboard` calls publish.ts makes
 * (default with matrices; style control), and the moments' JSON.parse, timed
 * with `process.cpuUsage`. This separates the engine's CPU from the
 * runtime's (D1 reads, KV writes, SQLite). Node's CPU time includes its GC
 * helper threads.
 */

function cpuMs(fn) {
  const start = process.cpuUsage();
  const value = fn();
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000, value };
}

/**
 * @param r the bundled ranking engine
 * @param db Miniflare's D1 binding (read from Node)
 */
export async function rankCategoriesInNode(r, db) {
  const { results: categories } = await db.prepare("SELECT DISTINCT category FROM pair_counts ORDER BY category").all();
  const out = [];
  for (const { category } of categories) out.push(await rankCategory(r, db, category));
  return out;
}

async function rankCategory(r, db, category) {
  const { results: pairs } = await db
    .prepare("SELECT model_a AS modelA, model_b AS modelB, wins_a AS winsA, wins_b AS winsB, ties, both_bad AS bothBad FROM pair_counts WHERE category = ?")
    .bind(category)
    .all();
  const { results: raw } = await db
    .prepare(
      `SELECT model_a AS modelA, model_b AS modelB, bucket, wins_a AS winsA, wins_b AS winsB, ties, both_bad AS bothBad,
              json_array(${r.STYLE_MOMENT_NAMES.join(", ")}) AS moments FROM style_buckets WHERE category = ?`,
    )
    .bind(category)
    .all();
  const parse = cpuMs(() => raw.map((row) => ({ ...row, moments: JSON.parse(row.moments) })));
  raw.length = 0;
  const buckets = parse.value;
  const ids = [...new Set(pairs.flatMap((p) => [p.modelA, p.modelB]))].sort();
  const input = { models: ids.map((id) => ({ id, status: "active" })), pairs };
  const computedAt = new Date(0).toISOString();
  const plain = cpuMs(() => r.rankLeaderboard(input, { matrices: true, computedAt }));
  const control = cpuMs(() => r.rankLeaderboard({ ...input, styleBuckets: buckets }, { styleControl: true, computedAt }));
  return {
    category,
    pairRows: pairs.length,
    styleRows: buckets.length,
    parseMomentsMs: parse.ms,
    defaultMs: plain.ms,
    controlMs: control.ms,
    controlIterations: control.value.meta.iterations,
    controlGradientNorm: control.value.meta.gradientNorm,
  };
}
