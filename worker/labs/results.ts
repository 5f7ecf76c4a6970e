/**
 * A lab's private results: its models' rows in every board, computed by the
 * ranking cron exactly as the public boards are. The public boards leave out
 * every vote that involves a model that is not public (a preview, or one
 * withdrawn), so nothing on them depends on hidden data; where such votes
 * exist the cron also fits the category with them (worker/leaderboard/publish.ts),
 * and a preview's rows come from that fit. A public model's rows are its
 * public rows.
 */
import type { PublishedLeaderboard, PublishedRow } from "../../src/wire";
import { labResultsKey } from "../leaderboard/kv-keys";

/** A lab model's row in one board: the public row's statistics, with the board it is from. */
export type LabStanding = Pick<PublishedLeaderboard, "category" | "style"> &
  Pick<PublishedRow, "rank" | "rating" | "lower" | "upper" | "votes" | "wins" | "losses" | "ties" | "provisional">;

/** KV `lab-results:{labId}`. */
export interface LabResults {
  computedAt: string;
  /** Last vote seq folded into these results. */
  watermark: number;
  models: Record<string, LabStanding[]>;
}

/** A hidden model whose private results changed in this publication. */
export interface PreviewUpdate {
  labId: string;
  modelId: string;
  votes: number;
}

const overallOf = (standings: readonly LabStanding[]) => standings.find((s) => s.category === "overall" && s.style === "default");

/** Collects lab models' rows from the boards of one publication. */
export class LabResultsCollector {
  private readonly byLab = new Map<string, Record<string, LabStanding[]>>();

  /** @param owners lab id of each lab model; `fromFull` holds the models whose rows come from the fit with hidden votes. */
  constructor(
    private readonly owners: ReadonlyMap<string, string>,
    private readonly fromFull: ReadonlySet<string>,
  ) {
    for (const lab of new Set(owners.values())) this.byLab.set(lab, {});
    for (const [model, lab] of owners) this.byLab.get(lab)![model] = [];
  }

  /** Adds the rows of a board: a public board (`full` false) or a fit that includes hidden votes (`full` true). */
  add(board: PublishedLeaderboard, full: boolean): void {
    for (const row of board.rows) {
      const lab = this.owners.get(row.modelId);
      if (lab === undefined || this.fromFull.has(row.modelId) !== full) continue;
      this.byLab.get(lab)![row.modelId]!.push({
        category: board.category,
        style: board.style,
        rank: row.rank,
        rating: row.rating,
        lower: row.lower,
        upper: row.upper,
        votes: row.votes,
        wins: row.wins,
        losses: row.losses,
        ties: row.ties,
        provisional: row.provisional,
      });
    }
  }

  /** Counted votes of each hidden model in the overall board, for the sampler's new-model boost. */
  overallVotes(): Record<string, number> {
    const votes: Record<string, number> = {};
    for (const models of this.byLab.values()) {
      for (const [model, standings] of Object.entries(models)) {
        const overall = overallOf(standings);
        if (overall && this.fromFull.has(model)) votes[model] = overall.votes;
      }
    }
    return votes;
  }

  /**
   * Stores each lab's results, and returns the hidden models whose overall
   * votes changed since the lab's previous results (for `preview.results_ready`).
   */
  async store(kv: KVNamespace, computedAt: string, watermark: number): Promise<PreviewUpdate[]> {
    const updates: PreviewUpdate[] = [];
    await Promise.all(
      [...this.byLab].map(async ([lab, models]) => {
        const before = await readLabResults(kv, lab);
        for (const [modelId, standings] of Object.entries(models)) {
          if (!this.fromFull.has(modelId)) continue;
          const votes = overallOf(standings)?.votes ?? 0;
          if (votes > 0 && votes !== (overallOf(before?.models[modelId] ?? [])?.votes ?? 0)) updates.push({ labId: lab, modelId, votes });
        }
        await kv.put(labResultsKey(lab), JSON.stringify({ computedAt, watermark, models } satisfies LabResults));
      }),
    );
    return updates;
  }
}

export async function readLabResults(kv: KVNamespace, labId: string): Promise<LabResults | null> {
  return kv.get<LabResults>(labResultsKey(labId), "json");
}
