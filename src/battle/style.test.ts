import { describe, expect, it } from "vitest";
import { approximateTokens, stripCodeBlocks, styleFeatures } from "./style";

describe("style features", () => {
  it("counts headers, list items and bold spans in prose", () => {
    const text = "# Title\n\nSome **bold** and __also bold__.\n\n## Part\n- one\n- two\n* three\n1. first\n2) second";
    expect(styleFeatures([text])).toMatchObject({ headers: 2, listItems: 5, bold: 2 });
  });

  it("ignores everything inside fenced code blocks, even unterminated ones", () => {
    const text = "Intro\n```py\n# not a header\n- not a list\n**not bold**\n```\nAfter\n~~~\n# still code";
    expect(stripCodeBlocks(text)).toBe("Intro\n\nAfter\n");
    expect(styleFeatures([text])).toMatchObject({ headers: 0, listItems: 0, bold: 0 });
  });

  it("sums every answer of a side", () => {
    expect(styleFeatures(["# a", "# b\n- c"])).toMatchObject({ headers: 2, listItems: 1 });
  });

  it("approximates tokens: short words one each, long words by length, punctuation separately", () => {
    expect(approximateTokens("Hello, world!")).toBe(6);
    expect(approximateTokens("a b c")).toBe(3);
    expect(approximateTokens("")).toBe(0);
  });

  it("does not count a lone asterisk or a hash without a space", () => {
    expect(styleFeatures(["2 * 3 = 6 and #hashtag"])).toMatchObject({ headers: 0, listItems: 0, bold: 0 });
  });
});
