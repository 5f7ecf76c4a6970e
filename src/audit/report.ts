/**
 * The public audit of excluded votes: for every category, model and lab, how
 * many votes were stored, how many counted, and how many each exclusion
 * reason left out. Everyone can check that the filters fall evenly on every
 * lab, instead of taking the arena's word for it.
 *
 * Input is what the cron folds (`audit_counts`: stored votes per category,
 * model and reason, `""` for counted) plus the counted votes of sessions
 * currently flagged as anomalous voters. Flags are decided after the vote and
 * can lift, so they are applied here, at each build: a flagged session's
 * counted votes move from `counted` to `anomalous_voter`, and back when the
 * flag lifts.
 */
import { VOTE_EXCLUSION_REASONS } from "../battle/validity";
import type { AuditAnomalySummary, AuditCategory, AuditCounts, AuditLabRow, AuditModelRow, AuditReport } from "../wire";

/** Model id under which the fold keeps each category's totals (every vote once). */
export const AUDIT_TOTAL = "*";

/** One `audit_counts` row: stored votes of a category and model with one reason (`""` = counted). */
export interface AuditCountRow {
  category: string;
  modelId: string;
  reason: string;
  votes: number;
}

/** A counted vote of a flagged session, as the audit needs it. */
export interface FlaggedVote {
  categories: readonly string[];
  modelA: string;
  modelB: string;
}

export interface AuditModelInfo {
  name: string;
  organization: string;
}

export interface AuditInput {
  rows: readonly AuditCountRow[];
  flagged: readonly FlaggedVote[];
  /** Models that may be named publicly; votes of others are kept in the totals only. */
  models: ReadonlyMap<string, AuditModelInfo>;
  anomaly: AuditAnomalySummary | null;
  watermark: number;
  computedAt: string;
}

const COUNTED = "";

function emptyCounts(): AuditCounts {
  return { stored: 0, counted: 0, excluded: Object.fromEntries(VOTE_EXCLUSION_REASONS.map((r) => [r, 0])) };
}

function add(into: AuditCounts, reason: string, votes: number): void {
  into.stored += votes;
  if (reason === COUNTED) into.counted += votes;
  else into.excluded[reason] = (into.excluded[reason] ?? 0) + votes;
}

/** Moves `votes` of `counts` from counted to `anomalous_voter`. */
function moveToAnomalous(counts: AuditCounts, votes: number): void {
  const moved = Math.min(votes, counts.counted);
  counts.counted -= moved;
  counts.excluded.anomalous_voter = (counts.excluded.anomalous_voter ?? 0) + moved;
}

const byVotes = <T extends AuditCounts>(key: (row: T) => string) => (x: T, y: T) => y.stored - x.stored || key(x).localeCompare(key(y));

/**
 * Builds the audit document. Deterministic: the same input gives the same
 * bytes (categories by name, rows by stored votes then name).
 *
 * @example
 * buildAuditReport({ rows: [{ category: "overall", modelId: "*", reason: "", votes: 3 }, …], flagged: [], models, anomaly: null, watermark: 3, computedAt })
 */
export function buildAuditReport(input: AuditInput): AuditReport {
  const categories = new Map<string, { totals: AuditCounts; models: Map<string, AuditCounts> }>();
  const categoryOf = (name: string) => {
    let entry = categories.get(name);
    if (!entry) categories.set(name, (entry = { totals: emptyCounts(), models: new Map() }));
    return entry;
  };
  for (const row of input.rows) {
    const entry = categoryOf(row.category);
    if (row.modelId === AUDIT_TOTAL) {
      add(entry.totals, row.reason, row.votes);
      continue;
    }
    if (!input.models.has(row.modelId)) continue;
    let counts = entry.models.get(row.modelId);
    if (!counts) entry.models.set(row.modelId, (counts = emptyCounts()));
    add(counts, row.reason, row.votes);
  }
  for (const vote of input.flagged) {
    for (const category of vote.categories) {
      const entry = categories.get(category);
      if (!entry) continue;
      moveToAnomalous(entry.totals, 1);
      for (const id of new Set([vote.modelA, vote.modelB])) {
        const counts = entry.models.get(id);
        if (counts) moveToAnomalous(counts, 1);
      }
    }
  }
  return {
    computedAt: input.computedAt,
    watermark: input.watermark,
    reasons: [...VOTE_EXCLUSION_REASONS],
    anomaly: input.anomaly,
    categories: [...categories]
      .sort(([x], [y]) => (x === "overall" ? -1 : y === "overall" ? 1 : x.localeCompare(y)))
      .map(([category, { totals, models }]) => buildCategory(category, totals, models, input.models)),
  };
}

function buildCategory(
  category: string,
  totals: AuditCounts,
  counts: Map<string, AuditCounts>,
  info: ReadonlyMap<string, AuditModelInfo>,
): AuditCategory {
  const models: AuditModelRow[] = [...counts].map(([modelId, c]) => ({ modelId, ...info.get(modelId)!, ...c }));
  const labs = new Map<string, AuditLabRow>();
  for (const model of models) {
    let lab = labs.get(model.organization);
    if (!lab) labs.set(model.organization, (lab = { organization: model.organization, models: 0, ...emptyCounts() }));
    lab.models += 1;
    lab.stored += model.stored;
    lab.counted += model.counted;
    for (const [reason, votes] of Object.entries(model.excluded)) lab.excluded[reason] = (lab.excluded[reason] ?? 0) + votes;
  }
  return {
    category,
    totals,
    labs: [...labs.values()].sort(byVotes((l) => l.organization)),
    models: models.sort(byVotes((m) => m.name)),
  };
}

/** Share of a row's stored votes excluded for `reason` (0 when nothing is stored). */
export function excludedShare(counts: AuditCounts, reason: string): number {
  return counts.stored === 0 ? 0 : (counts.excluded[reason] ?? 0) / counts.stored;
}
