import { describe, expect, it } from "vitest";
import type { SharedBattleView } from "../../../src/wire";
import { ApiError } from "../api/http";
import { isUnknownLink, modelHref, outcomeText, sharedBattleApiPath, sidesOf } from "./shared-view";

const view = (winner: SharedBattleView["winner"]): SharedBattleView => ({
  battleId: "b1",
  mode: "anonymous",
  arena: "text",
  winner,
  models: { a: { id: "demo-aster", name: "Aster", organization: "o" }, b: { id: "demo/cobalt", name: "Cobalt", organization: "o" } },
  turns: [{ turn: 1, prompt: "hi", sides: { a: { text: "x", status: "done" }, b: { text: "y", status: "done" } } }],
});

describe("shared battle page", () => {
  it("names the winning model, or says tie or both bad", () => {
    expect(outcomeText(view("a"))).toBe("Aster won.");
    expect(outcomeText(view("b"))).toBe("Cobalt won.");
    expect(outcomeText(view("tie"))).toBe("A tie.");
    expect(outcomeText(view("bothbad"))).toBe("Both answers were judged bad.");
  });

  it("treats an unknown or malformed link as not found, and other failures as errors", () => {
    expect(isUnknownLink(new ApiError(404, "not_found", "no such battle"))).toBe(true);
    expect(isUnknownLink(new ApiError(400, "validation_failed", "token too long"))).toBe(true);
    expect(isUnknownLink(new ApiError(500, "internal", "boom"))).toBe(false);
    expect(isUnknownLink(new TypeError("fetch failed"))).toBe(false);
  });

  it("escapes the link's parts in the API address and model ids in model links", () => {
    expect(sharedBattleApiPath("b1", "a/b?c")).toBe("/api/v1/shared/b1/a%2Fb%3Fc");
    expect(modelHref(view("a").models.b!)).toBe("/models/demo%2Fcobalt");
  });

  it("lists both sides in order", () => {
    expect(sidesOf(view("a"))).toEqual(["a", "b"]);
  });
});
