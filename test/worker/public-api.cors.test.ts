import { beforeEach, describe, expect, it } from "vitest";
import { api, postJson } from "./helpers";
import { ATLAS, publishAll, unpublishAll } from "./public-api-fixtures";

const ORIGIN = "https://dashboard.example";

beforeEach(async () => {
  await unpublishAll();
  await publishAll();
});

describe.each(["/api/v1/leaderboard?category=overall", "/api/v1/leaderboard/categories", "/api/v1/models", `/api/v1/models/${ATLAS.id}`, "/api/v1/openapi.json"])(
  "the public read %s from another origin",
  (path) => {
    it("is allowed, with the ETag readable by the page", async () => {
      const response = await api(path, { headers: { origin: ORIGIN } });

      expect(response.status).toBe(200);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("access-control-expose-headers")).toContain("ETag");
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    });

    it("passes a preflight for a conditional GET", async () => {
      const response = await api(path, {
        method: "OPTIONS",
        headers: { origin: ORIGIN, "access-control-request-method": "GET", "access-control-request-headers": "if-none-match" },
      });

      expect(response.status).toBe(204);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("access-control-allow-methods")).toBe("GET,HEAD,OPTIONS");
      expect(response.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("if-none-match");
    });

    it("keeps its CORS headers on a 304", async () => {
      const etag = (await api(path)).headers.get("etag")!;
      const response = await api(path, { headers: { origin: ORIGIN, "if-none-match": etag } });

      expect(response.status).toBe(304);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
    });
  },
);

describe("battles and votes", () => {
  it("do not answer other origins: 403 and no Access-Control-Allow-Origin on POST /api/v1/battles", async () => {
    const response = await postJson("/api/v1/battles", { mode: "anonymous", prompt: "" }, { origin: ORIGIN });

    expect(response.status).toBe(403);
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("do not pass a preflight", async () => {
    for (const path of ["/api/v1/battles", "/api/v1/battles/9f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f/vote"]) {
      const response = await api(path, {
        method: "OPTIONS",
        headers: { origin: ORIGIN, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
      });

      expect(response.headers.get("access-control-allow-origin")).toBeNull();
      expect(response.headers.get("access-control-allow-methods")).toBeNull();
    }
  });

  it("the reference page is same-origin only too", async () => {
    const response = await api("/api/docs", { headers: { origin: ORIGIN } });
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });
});
