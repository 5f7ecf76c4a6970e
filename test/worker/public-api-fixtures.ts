/**
 * Published data as the ranking cron writes it, for the public read API
 * tests: seeded straight into KV. Every write is a new publication, so each
 * test sees its own seed and never a cached answer of an earlier one.
 */
import { env } from "cloudflare:workers";
import type { LeaderboardIndex, ModelDetail, PublicModel, PublishedLeaderboard, PublishedRow } from "../../src/wire";
import { CACHE_KEY_ORIGIN } from "../../worker/http/cached-json";
import { KV_INDEX, KV_PUBLICATION_ID, KV_PUBLIC_MODELS, leaderboardKey, matricesKey, modelKey } from "../../worker/leaderboard/kv-keys";
import { putPublication } from "../../worker/leaderboard/publication-id";

const COMPUTED_AT = "2026-11-29T12:00:00.000Z";

export const ATLAS: PublicModel = { id: "atlas-2", name: "Atlas 2", organization: "Northwind AI", modality: "text", status: "active", demo: false, license: "Apache-2.0" };
export const BRIO: PublicModel = { id: "brio-mini", name: "Brio mini", organization: "Contoso Labs", modality: "text", status: "active", demo: false, license: "Proprietary" };
export const CEDAR: PublicModel = { id: "cedar-1", name: "Cedar 1", organization: "Fabrikam", modality: "text", status: "active", demo: false, license: null };
export const PREVIEW: PublicModel = { id: "codename-kestrel", name: "kestrel", organization: "Fabrikam", modality: "text", status: "preview", demo: false, license: null };
export const DEMO: PublicModel = { id: "demo-aster", name: "Aster (demo)", organization: "Edge Arena demo", modality: "text", status: "active", demo: true, license: "MIT" };

function row(model: PublicModel, rank: number, rating: number, lower: number | null, upper: number | null, wins: number, losses: number, ties: number): PublishedRow {
  return {
    modelId: model.id,
    name: model.name,
    organization: model.organization,
    license: model.license ?? null,
    status: model.status,
    rank,
    rating,
    lower,
    upper,
    votes: wins + losses + ties,
    wins,
    losses,
    ties,
    component: 0,
    provisional: wins + losses + ties < 300,
    elo: rating + 3.2,
  };
}

/** A three-model board; `matrices` included, as the cron stores it. */
export function leaderboard(category: string, style: "default" | "control"): PublishedLeaderboard {
  const shift = style === "control" ? -6.5 : 0;
  return {
    category,
    style,
    computedAt: COMPUTED_AT,
    provisional: true,
    rows: [
      row(ATLAS, 1, 1042.7 + shift, 1021.3 + shift, 1063.9 + shift, 412, 301, 88),
      row(BRIO, 2, 1001.1, 980.4, 1020.9, 350, 349, 90),
      row(CEDAR, 3, 956.2 - shift, 933.0 - shift, 979.1 - shift, 240, 352, 70),
    ],
    meta: {
      method: "bradley-terry",
      category,
      ci: "sandwich",
      level: 0.95,
      styleControl: style === "control",
      ...(style === "control" ? { gamma: { tokens: 0.21, headers: 0.04, listItems: 0.02, bold: 0.01 } } : {}),
      reweighted: false,
      components: 1,
      totalBattles: 1126,
      models: 3,
      provisional: false,
      iterations: 6,
      gradientNorm: 3.1e-11,
      warnings: [],
      computedAt: COMPUTED_AT,
    },
    matrices: {
      models: [ATLAS.id, BRIO.id, CEDAR.id],
      battles: [
        [0, 420, 381],
        [420, 0, 325],
        [381, 325, 0],
      ],
      winFraction: [
        [null, 0.55, 0.62],
        [0.45, null, 0.57],
        [0.38, 0.43, null],
      ],
      predicted: [
        [null, 0.56, 0.62],
        [0.44, null, 0.56],
        [0.38, 0.44, null],
      ],
    },
  };
}

export const INDEX: LeaderboardIndex = {
  computedAt: COMPUTED_AT,
  totalVotes: 1126,
  weighting: "uniform-votes",
  categories: [
    { id: "overall", label: "Overall", votes: 1126, models: 3, provisional: false, styles: ["default", "control"] },
    { id: "coding", label: "Coding", votes: 214, models: 3, provisional: true, styles: ["default"] },
  ],
};

export const ATLAS_DETAIL: ModelDetail = {
  model: ATLAS,
  standings: [
    { category: "overall", rank: 1, rating: 1042.7, lower: 1021.3, upper: 1063.9, votes: 801, provisional: false },
    { category: "coding", rank: 1, rating: 1060.4, lower: null, upper: null, votes: 96, provisional: true },
  ],
  history: [
    { computedAt: "2026-11-29T11:55:00.000Z", rating: 1040.9, lower: 1019.0, upper: 1062.8, rank: 1 },
    { computedAt: COMPUTED_AT, rating: 1042.7, lower: 1021.3, upper: 1063.9, rank: 1 },
  ],
  headToHead: [
    { opponentId: BRIO.id, opponentName: BRIO.name, votes: 420, wins: 208, losses: 170, ties: 42, winFraction: 0.545, predicted: 0.56 },
    { opponentId: CEDAR.id, opponentName: CEDAR.name, votes: 381, wins: 204, losses: 131, ties: 46, winFraction: 0.596, predicted: 0.62 },
  ],
};

/**
 * Writes a value to KV as the cron does (plain JSON text), as part of a new
 * publication: like the cron, it then stores a new publication id, which is
 * what moves readers off their cached answers.
 */
export async function putJson(key: string, value: unknown): Promise<void> {
  await env.LEADERBOARD.put(key, JSON.stringify(value));
  await putPublication(env.LEADERBOARD, crypto.randomUUID());
}

// The DOM lib in the shared tsconfig hides Workers' `caches.default`.
export const edgeCache = (caches as unknown as { default: Cache }).default;

/** Where the public read cache holds `path` for the current publication. */
export async function cachedUrlOf(path: string): Promise<string> {
  const publication = (await env.LEADERBOARD.get(KV_PUBLICATION_ID)) ?? "none";
  return `${CACHE_KEY_ORIGIN}/${encodeURIComponent(publication)}${path}`;
}

/** Everything a full publication writes. */
export async function publishAll(): Promise<void> {
  await putJson(KV_INDEX, INDEX);
  for (const [category, style] of [["overall", "default"], ["overall", "control"], ["coding", "default"]] as const) {
    // Stored as the cron stores them: the board, and its matrices under their own key.
    const { matrices, ...board } = leaderboard(category, style);
    await putJson(leaderboardKey(category, style), board);
    await putJson(matricesKey(category, style), matrices);
  }
  await putJson(KV_PUBLIC_MODELS, { models: [ATLAS, BRIO, CEDAR] });
  await putJson(modelKey(ATLAS.id), ATLAS_DETAIL);
}

/** Removes everything {@link publishAll} wrote. */
export async function unpublishAll(): Promise<void> {
  const { keys } = await env.LEADERBOARD.list();
  await Promise.all(keys.map((key) => env.LEADERBOARD.delete(key.name)));
}
