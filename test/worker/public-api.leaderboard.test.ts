import { env, exports } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ErrorBody, LeaderboardIndex, PublishedLeaderboard } from "../../src/wire";
import { KV_INDEX, leaderboardKey } from "../../worker/leaderboard/kv-keys";
import { api } from "./helpers";
import { INDEX, cachedUrlOf, edgeCache, leaderboard, publishAll, putJson, unpublishAll } from "./public-api-fixtures";

beforeEach(async () => {
  await unpublishAll();
});

async function errorOf(response: Response): Promise<ErrorBody["error"]> {
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  return ((await response.json()) as ErrorBody).error;
}

describe("GET /api/v1/leaderboard", () => {
  it("answers the published board of the category and style, without matrices unless asked", async () => {
    await publishAll();
    const response = await api("/api/v1/leaderboard?category=overall&style=control");

    expect(response.status).toBe(200);
    const board = (await response.json()) as PublishedLeaderboard;
    const { matrices, ...expected } = leaderboard("overall", "control");
    expect(matrices).toBeDefined();
    expect(board).toEqual(expected);
    expect("matrices" in board).toBe(false);
  });

  it("includes the separately stored pairwise matrices with matrices=1", async () => {
    await publishAll();

    const response = await api("/api/v1/leaderboard?category=overall&style=default&matrices=1");

    expect(await response.json()).toEqual(leaderboard("overall", "default"));
  });

  it("serves the stored bytes unchanged when matrices are not asked for", async () => {
    await publishAll();
    const stored = await env.LEADERBOARD.get(leaderboardKey("overall", "default"), "text");
    expect(await (await api("/api/v1/leaderboard?category=overall&style=default")).text()).toBe(stored);
  });

  it("defaults to the overall category and the default style", async () => {
    await publishAll();
    const board = (await (await api("/api/v1/leaderboard")).json()) as PublishedLeaderboard;
    expect([board.category, board.style]).toEqual(["overall", "default"]);
  });

  it("answers with a strong ETag and a public, minute-long cache lifetime", async () => {
    await publishAll();
    const response = await api("/api/v1/leaderboard?category=coding");

    expect(response.headers.get("etag")).toMatch(/^"[0-9a-f]{32}"$/);
    expect(response.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=600");
  });

  it("gives the same ETag to the same publication, and a new one after the cron republishes", async () => {
    await publishAll();
    const first = (await api("/api/v1/leaderboard")).headers.get("etag");
    // The same bytes under a new publication id: loaded afresh, same ETag.
    await publishAll();
    expect((await api("/api/v1/leaderboard")).headers.get("etag")).toBe(first);

    await putJson(leaderboardKey("overall", "default"), { ...leaderboard("overall", "default"), computedAt: "2026-11-29T12:05:00.000Z" });
    expect((await api("/api/v1/leaderboard")).headers.get("etag")).not.toBe(first);
  });

  it("refuses an unknown style with 400 in the error format", async () => {
    await publishAll();
    const response = await api("/api/v1/leaderboard?category=overall&style=fancy");

    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.code).toBe("invalid_request");
    expect(error.message).toContain("style");
    expect(error.requestId).not.toBe("");
  });

  it("answers an unknown category with 404 in the error format", async () => {
    await publishAll();
    const response = await api("/api/v1/leaderboard?category=astrology");

    expect(response.status).toBe(404);
    const error = await errorOf(response);
    expect(error.code).toBe("not_found");
    expect(error.message).toContain('"astrology"');
    expect(response.headers.get("etag")).toBeNull();
  });

  it("answers 404 for a style the category was not published in", async () => {
    await publishAll();
    const response = await api("/api/v1/leaderboard?category=coding&style=control");

    expect(response.status).toBe(404);
    expect((await errorOf(response)).message).toBe('category "coding" has no "control" leaderboard');
  });

  it("answers 404 'no leaderboard has been published yet' before the first publication", async () => {
    const response = await api("/api/v1/leaderboard");

    expect(response.status).toBe(404);
    expect((await errorOf(response)).message).toBe("no leaderboard has been published yet");
  });

  it("serves a cached copy of the current publication without reading its board from KV again", async () => {
    await publishAll();
    const first = await (await api("/api/v1/leaderboard?category=overall")).text();
    const key = await cachedUrlOf("/api/v1/leaderboard?category=overall&style=default&matrices=0");
    await vi.waitFor(async () => {
      expect(await edgeCache.match(key)).toBeDefined();
    });
    await env.LEADERBOARD.delete(leaderboardKey("overall", "default"));

    const again = await api("/api/v1/leaderboard?style=default&category=overall&utm_source=mail");
    expect(again.status).toBe(200);
    expect(await again.text()).toBe(first);
  });

  it("keeps one cached answer for every host name, and switches all of them to a new publication at once", async () => {
    const read = async (host: string) => {
      const response = await exports.default.fetch(new Request(`http://${host}/api/v1/leaderboard/categories`));
      return ((await response.json()) as LeaderboardIndex).totalVotes;
    };
    await publishAll();
    expect(await read("127.0.0.1:8787")).toBe(INDEX.totalVotes);
    const key = await cachedUrlOf("/api/v1/leaderboard/categories");
    await vi.waitFor(async () => {
      expect(await edgeCache.match(key)).toBeDefined();
    });
    // Served from that one entry, not from KV, under another host name.
    await env.LEADERBOARD.delete(KV_INDEX);
    expect(await read("localhost:8787")).toBe(INDEX.totalVotes);

    await putJson(KV_INDEX, { ...INDEX, totalVotes: INDEX.totalVotes + 74 });

    expect(await read("127.0.0.1:8787")).toBe(INDEX.totalVotes + 74);
    expect(await read("localhost:8787")).toBe(INDEX.totalVotes + 74);
  });
});
