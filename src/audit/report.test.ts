import { describe, expect, it } from "vitest";
import { VOTE_EXCLUSION_REASONS } from "../battle/validity";
import { AUDIT_TOTAL, buildAuditReport, excludedShare, type AuditCountRow, type AuditInput } from "./report";

const models = new Map([
  ["m-a", { name: "Model A", organization: "Lab One" }],
  ["m-b", { name: "Model B", organization: "Lab One" }],
  ["m-c", { name: "Model C", organization: "Lab Two" }],
]);

/** Rows as the fold writes them for votes given as [modelA, modelB, reason]. */
function rowsOf(category: string, votes: Array<[string, string, string]>): AuditCountRow[] {
  const counts = new Map<string, AuditCountRow>();
  const bump = (modelId: string, reason: string) => {
    const key = `${modelId}|${reason}`;
    const row = counts.get(key) ?? { category, modelId, reason, votes: 0 };
    row.votes += 1;
    counts.set(key, row);
  };
  for (const [a, b, reason] of votes) {
    bump(AUDIT_TOTAL, reason);
    bump(a, reason);
    bump(b, reason);
  }
  return [...counts.values()];
}

function input(overrides: Partial<AuditInput>): AuditInput {
  return { rows: [], flagged: [], models, anomaly: null, watermark: 10, computedAt: "2026-12-04T00:00:00.000Z", ...overrides };
}

describe("buildAuditReport", () => {
  const rows = [
    ...rowsOf("overall", [
      ["m-a", "m-b", ""],
      ["m-a", "m-c", ""],
      ["m-a", "m-c", "vote_cap"],
      ["m-b", "m-c", "identity_revealed"],
    ]),
    ...rowsOf("coding", [["m-a", "m-c", "side_error"]]),
  ];

  it("counts every vote once in the totals and once per model it involves", () => {
    const report = buildAuditReport(input({ rows }));
    const overall = report.categories.find((c) => c.category === "overall")!;
    expect(overall.totals).toMatchObject({ stored: 4, counted: 2 });
    expect(overall.totals.excluded).toMatchObject({ vote_cap: 1, identity_revealed: 1, side_error: 0 });
    const a = overall.models.find((m) => m.modelId === "m-a")!;
    expect(a).toMatchObject({ name: "Model A", organization: "Lab One", stored: 3, counted: 2 });
    expect(a.excluded.vote_cap).toBe(1);
  });

  it("lists every reason with zeros, and stored = counted + the sum of exclusions on every row", () => {
    const report = buildAuditReport(input({ rows }));
    expect(report.reasons).toEqual([...VOTE_EXCLUSION_REASONS]);
    for (const category of report.categories) {
      for (const row of [category.totals, ...category.labs, ...category.models]) {
        expect(Object.keys(row.excluded).sort()).toEqual([...VOTE_EXCLUSION_REASONS].sort());
        expect(row.counted + Object.values(row.excluded).reduce((s, n) => s + n, 0)).toBe(row.stored);
      }
    }
  });

  it("sums a lab's models into its row", () => {
    const overall = buildAuditReport(input({ rows })).categories[0]!;
    expect(overall.category).toBe("overall");
    const one = overall.labs.find((l) => l.organization === "Lab One")!;
    expect(one).toMatchObject({ models: 2, stored: 5, counted: 3 });
    expect(one.excluded).toMatchObject({ vote_cap: 1, identity_revealed: 1 });
    expect(overall.labs.map((l) => l.organization)).toEqual(["Lab One", "Lab Two"]);
  });

  it("moves a flagged session's counted votes to anomalous_voter, in every category they are in", () => {
    const flagged = [{ categories: ["overall"], modelA: "m-a", modelB: "m-b" }];
    const overall = buildAuditReport(input({ rows, flagged })).categories[0]!;
    expect(overall.totals).toMatchObject({ stored: 4, counted: 1 });
    expect(overall.totals.excluded.anomalous_voter).toBe(1);
    expect(overall.models.find((m) => m.modelId === "m-b")).toMatchObject({ counted: 0, stored: 2 });
    expect(overall.models.find((m) => m.modelId === "m-c")!.excluded.anomalous_voter).toBe(0);
  });

  it("names only public models; the others' votes stay in the totals", () => {
    const hidden = rowsOf("overall", [["m-a", "secret-preview", ""]]);
    const overall = buildAuditReport(input({ rows: hidden })).categories[0]!;
    expect(overall.totals.stored).toBe(1);
    expect(overall.models.map((m) => m.modelId)).toEqual(["m-a"]);
  });

  it("gives the same bytes for the same input in any row order", () => {
    const one = JSON.stringify(buildAuditReport(input({ rows })));
    const two = JSON.stringify(buildAuditReport(input({ rows: [...rows].reverse() })));
    expect(two).toBe(one);
  });
});

describe("excludedShare", () => {
  it("is the reason's share of stored votes, 0 when nothing is stored", () => {
    expect(excludedShare({ stored: 4, counted: 3, excluded: { vote_cap: 1 } }, "vote_cap")).toBe(0.25);
    expect(excludedShare({ stored: 0, counted: 0, excluded: {} }, "vote_cap")).toBe(0);
  });
});
