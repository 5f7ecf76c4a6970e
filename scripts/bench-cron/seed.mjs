/**
 * Seeds the local D1 with synthetic aggregates: the model rows, the
 * `pair_counts` and `style_buckets` rows, and one `ranking_folds` watermark
 * covering every vote, so the cron has nothing to fold and recomputes all.
 *
 * Rows go in as one JSON parameter per statement expanded with `json_each`
 * (the cron's own upsert technique), many statements per D1 batch.
 */
import { generateAggregates, syntheticModels } from "./generate.mjs";

const ROWS_PER_STATEMENT = { pair: 20_000, style: 5_000 };
const STATEMENTS_PER_BATCH = 4;

const PAIR_COLUMNS = ["category", "model_a", "model_b", "wins_a", "wins_b", "ties", "both_bad"];

function insertFromJson(table, columns) {
  return `INSERT INTO ${table} (${columns.join(", ")}) SELECT ${columns.map((_, k) => `value ->> ${k}`).join(", ")} FROM json_each(?1)`;
}

/**
 * Generates and inserts the aggregates; returns row counts and timings.
 * @param r the bundled ranking engine
 * @param db Miniflare's D1 binding
 */
export async function seedAggregates(r, db, { votes, models, seed }) {
  const catalog = syntheticModels(r, models, seed);
  await db.batch(
    catalog.ids.map((id, k) =>
      db
        .prepare("INSERT INTO models (id, name, organization, provider, provider_model_id, status) VALUES (?, ?, ?, 'openai-compatible', ?, 'active')")
        .bind(id, `Bench model ${k}`, `Lab ${k % 40}`, id),
    ),
  );

  const pairSql = insertFromJson("pair_counts", PAIR_COLUMNS);
  const styleSql = insertFromJson("style_buckets", [...PAIR_COLUMNS.slice(0, 3), "bucket", ...PAIR_COLUMNS.slice(3), ...r.STYLE_MOMENT_NAMES]);
  const pending = { pair: [], style: [] };
  const statements = [];
  const counts = { votes: 0, pairRows: 0, styleRows: 0, categories: {} };
  let generateMs = 0;
  let insertMs = 0;
  const flushStatements = async (force) => {
    if (statements.length === 0 || (!force && statements.length < STATEMENTS_PER_BATCH)) return;
    const start = performance.now();
    await db.batch(statements.splice(0));
    insertMs += performance.now() - start;
  };
  const queue = async (kind, force) => {
    const rows = pending[kind];
    while (rows.length >= ROWS_PER_STATEMENT[kind] || (force && rows.length > 0)) {
      const chunk = rows.splice(0, ROWS_PER_STATEMENT[kind]);
      statements.push(db.prepare(kind === "pair" ? pairSql : styleSql).bind(JSON.stringify(chunk)));
      await flushStatements(false);
    }
  };

  let start = performance.now();
  for (const pair of generateAggregates(r, { votes, models, seed })) {
    counts.votes += pair.votes;
    counts.pairRows += pair.pairRows.length;
    counts.styleRows += pair.styleRows.length;
    for (const row of pair.styleRows) {
      const c = (counts.categories[row[0]] ??= { pairRows: 0, styleRows: 0 });
      c.styleRows++;
    }
    for (const row of pair.pairRows) counts.categories[row[0]].pairRows++;
    pending.pair.push(...pair.pairRows);
    pending.style.push(...pair.styleRows);
    if (pending.style.length >= ROWS_PER_STATEMENT.style || pending.pair.length >= ROWS_PER_STATEMENT.pair) {
      generateMs += performance.now() - start;
      await queue("pair", false);
      await queue("style", false);
      start = performance.now();
    }
  }
  generateMs += performance.now() - start;
  await queue("pair", true);
  await queue("style", true);
  await flushStatements(true);

  await db
    .prepare("INSERT INTO ranking_folds (from_seq, to_seq, votes, folded_at) VALUES (0, ?, ?, ?)")
    .bind(counts.votes, counts.votes, Date.now())
    .run();
  return { ...counts, generateMs, insertMs };
}
