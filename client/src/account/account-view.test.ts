import { describe, expect, it } from "vitest";
import { agreementText, historyPath, outcomeOf, passkeyErrorText } from "./account-view";

describe("history query", () => {
  it("sends only the filters that are set, trimmed, with the cursor", () => {
    expect(historyPath({ q: "  sort a list ", category: "", voted: "" })).toBe("/api/v1/me/battles?q=sort+a+list&limit=20");
    expect(historyPath({ q: "", category: "coding", voted: "false" }, "abc")).toBe("/api/v1/me/battles?category=coding&voted=false&cursor=abc&limit=20");
  });
});

describe("how a vote reads", () => {
  it("names the winner once revealed, and says why a vote did not count", () => {
    const models = { a: { id: "x", name: "Falcon", organization: "Acme" }, b: { id: "y", name: "Heron", organization: "Borealis" } };
    expect(outcomeOf({})).toBe("Not voted yet");
    expect(outcomeOf({ models, vote: { winner: "b", counted: true, votedAt: 1 } })).toBe("Heron won");
    expect(outcomeOf({ vote: { winner: "a", counted: false, reason: "identity_revealed", votedAt: 1 } })).toBe("Model A won (not counted: identity revealed)");
    expect(outcomeOf({ vote: { winner: "bothbad", counted: true, votedAt: 1 } })).toBe("Both were bad");
  });
});

describe("agreement in words", () => {
  it("gives both rates as percentages and describes the rank correlation", () => {
    const lines = agreementText({ votes: 30, minimumVotes: 30, shown: true, rows: [], agreement: { battles: 20, rate: 0.55, expected: 0.68, rankCorrelation: -0.5 } });
    expect(lines[0]).toContain("55 %");
    expect(lines[0]).toContain("68 %");
    expect(lines[1]).toContain("the opposite of");
    expect(agreementText({ votes: 3, minimumVotes: 30, shown: false, rows: [], agreement: null })).toEqual([]);
  });
});

describe("passkey errors", () => {
  it("explains a cancelled dialog and leaves other errors to the caller", () => {
    const cancelled = Object.assign(new Error("x"), { name: "NotAllowedError" });
    expect(passkeyErrorText(cancelled)).toMatch(/cancelled/);
    expect(passkeyErrorText(new Error("other"))).toBeNull();
  });
});
