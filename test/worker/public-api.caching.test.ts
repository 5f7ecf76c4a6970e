import { beforeEach, describe, expect, it } from "vitest";
import { api } from "./helpers";
import { ATLAS, publishAll, unpublishAll } from "./public-api-fixtures";

beforeEach(async () => {
  await unpublishAll();
  await publishAll();
});

const READS = ["/api/v1/leaderboard?category=overall&style=default", "/api/v1/leaderboard/categories", "/api/v1/models", `/api/v1/models/${ATLAS.id}`, "/api/v1/openapi.json"];

describe.each(READS)("conditional requests to %s", (path) => {
  it("a second request with the ETag is answered 304 with no body", async () => {
    const first = await api(path);
    const etag = first.headers.get("etag")!;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(first.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=600");

    const second = await api(path, { headers: { "if-none-match": etag } });

    expect(second.status).toBe(304);
    expect(await second.text()).toBe("");
    expect(second.headers.get("etag")).toBe(etag);
    expect(second.headers.get("cache-control")).toBe("public, max-age=60, stale-while-revalidate=600");
  });

  it("a weak form of the ETag, or one among several, also matches", async () => {
    const etag = (await api(path)).headers.get("etag")!;

    expect((await api(path, { headers: { "if-none-match": `W/${etag}` } })).status).toBe(304);
    expect((await api(path, { headers: { "if-none-match": `"0123", ${etag} ,W/"abc"` } })).status).toBe(304);
    expect((await api(path, { headers: { "if-none-match": "*" } })).status).toBe(304);
  });

  it("a stale ETag gets the full answer", async () => {
    const response = await api(path, { headers: { "if-none-match": '"00000000000000000000000000000000"' } });

    expect(response.status).toBe(200);
    expect((await response.text()).length).toBeGreaterThan(0);
  });

  it("HEAD answers the headers of GET without a body", async () => {
    const get = await api(path);
    const head = await api(path, { method: "HEAD" });

    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect(head.headers.get("etag")).toBe(get.headers.get("etag"));
  });
});
