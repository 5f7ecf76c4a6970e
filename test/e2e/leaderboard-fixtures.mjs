/**
 * A published leaderboard in the documented wire shapes (src/wire.ts), with
 * the awkward cases the page must handle: two separate groups of models,
 * open-ended intervals, provisional rows and a provisional category.
 */

const MODELS = [
  ["sol-large", "Sol Large", "Helio Labs", "proprietary", 1138, 22, 24],
  ["quill-70b", "Quill 70B", "Open Quill", "Apache-2.0", 1096, 18, 17],
  ["marlin-pro", "Marlin Pro", "Deepwater AI", "proprietary", 1089, 20, 21],
  ["fjord-8x7b", "Fjord 8x7B", "Nordlys", "MIT", 1021, 16, 15],
  ["tern-mini", "Tern Mini", "Helio Labs", "proprietary", 984, 19, 20],
  ["kestrel-13b", "Kestrel 13B", "Open Quill", "Llama-3", 941, 25, 27],
  ["pika-3b", "Pika 3B", "Smallworks", "Apache-2.0", 869, 31, 30],
  ["lone-wolf", "Lone Wolf", "Solo Research", "CC-BY-4.0", 1000, null, 40],
];

function rows() {
  const ranked = MODELS.map(([modelId, name, organization, license, rating, plus, minus], i) => ({
    modelId,
    name,
    organization,
    license,
    status: modelId === "pika-3b" ? "preview" : "active",
    rank: 0,
    rating,
    lower: minus === null ? null : rating - minus,
    upper: plus === null ? null : rating + plus,
    votes: 1400 - i * 150,
    wins: 600 - i * 60,
    losses: 500 - i * 40,
    ties: 120,
    component: modelId === "lone-wolf" ? 1 : 0,
    provisional: modelId === "pika-3b" || modelId === "lone-wolf",
    ...(modelId === "lone-wolf" ? { boundary: "all-wins" } : {}),
  }));
  for (const row of ranked) {
    const peers = ranked.filter((other) => other.component === row.component);
    row.rank = 1 + peers.filter((other) => (other.lower ?? -Infinity) > (row.upper ?? Infinity)).length;
  }
  return ranked;
}

function matrices(list) {
  const models = list.map((row) => row.modelId);
  const p = (a, b) => 1 / (1 + 10 ** ((b.rating - a.rating) / 400));
  const same = (a, b) => a.component === b.component;
  return {
    models,
    battles: list.map((a, i) => list.map((b, j) => (i === j || !same(a, b) ? 0 : 40 + (((i + 1) * (j + 1) * 37) % 90)))),
    winFraction: list.map((a, i) => list.map((b, j) => (i === j || !same(a, b) ? null : Math.round(p(a, b) * 100 + ((i - j) % 3)) / 100))),
    predicted: list.map((a, i) => list.map((b, j) => (i === j || !same(a, b) ? null : p(a, b)))),
  };
}

const COMPUTED_AT = "2026-11-29T12:00:00.000Z";

/** `GET /api/v1/leaderboard/categories` */
export function leaderboardIndex() {
  return {
    computedAt: COMPUTED_AT,
    totalVotes: 5230,
    weighting: "uniform-votes",
    categories: [
      { id: "overall", label: "Overall", votes: 5230, models: 8, provisional: false, styles: ["default", "control"] },
      { id: "coding", label: "Coding", votes: 640, models: 8, provisional: true, styles: ["default"] },
    ],
  };
}

/** `GET /api/v1/leaderboard?category=…&style=…&matrices=1` */
export function publishedLeaderboard(category = "overall", style = "default") {
  const list = rows();
  return {
    category,
    style,
    computedAt: COMPUTED_AT,
    provisional: category === "coding",
    rows: list,
    meta: {
      method: "bradley-terry",
      category,
      ci: "sandwich",
      level: 0.95,
      styleControl: style === "control",
      reweighted: false,
      components: 2,
      totalBattles: category === "coding" ? 640 : 5230,
      models: list.length,
      provisional: category === "coding",
      iterations: 7,
      gradientNorm: 1e-10,
      warnings: ["lone-wolf has only wins; its upper bound is open"],
      computedAt: COMPUTED_AT,
    },
    matrices: matrices(list),
  };
}

/** `GET /api/v1/models/quill-70b` */
export function modelDetail() {
  const start = Date.parse("2026-11-20T00:00:00Z");
  const history = Array.from({ length: 24 }, (_, i) => {
    const rating = 1040 + i * 2.4 + Math.sin(i / 2) * 6;
    const width = 60 / Math.sqrt(i + 1) + 16;
    return { computedAt: new Date(start + i * 8 * 3600_000).toISOString(), rating, lower: rating - width, upper: rating + width, rank: i < 12 ? 3 : 2 };
  });
  return {
    model: { id: "quill-70b", name: "Quill 70B", organization: "Open Quill", modality: "text", status: "active", demo: false, license: "Apache-2.0" },
    standings: [
      { category: "overall", rank: 2, rating: 1096, lower: 1079, upper: 1114, votes: 1250, provisional: false },
      { category: "coding", rank: 3, rating: 1071, lower: 1030, upper: 1112, votes: 210, provisional: true },
    ],
    history,
    headToHead: [
      { opponentId: "sol-large", opponentName: "Sol Large", votes: 320, wins: 130, losses: 160, ties: 30, winFraction: 0.453, predicted: 0.44 },
      { opponentId: "marlin-pro", opponentName: "Marlin Pro", votes: 280, wins: 140, losses: 120, ties: 20, winFraction: 0.536, predicted: 0.51 },
      { opponentId: "pika-3b", opponentName: "Pika 3B", votes: 90, wins: 70, losses: 15, ties: 5, winFraction: 0.806, predicted: 0.79 },
    ],
  };
}
