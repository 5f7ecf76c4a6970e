import { Validator, type Schema } from "@cfworker/json-schema";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import packageJson from "../../package.json";
import { api } from "./helpers";
import { ATLAS, publishAll, unpublishAll } from "./public-api-fixtures";

interface OpenApiDocument {
  openapi: string;
  info: { title: string; version: string; description: string; license: { name: string } };
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>>;
  components: { schemas: Record<string, Schema> };
}

let doc: OpenApiDocument;

beforeAll(async () => {
  const response = await api("/api/v1/openapi.json");
  expect(response.status).toBe(200);
  doc = (await response.json()) as OpenApiDocument;
});

beforeEach(async () => {
  await unpublishAll();
  await publishAll();
});

/**
 * Validates `body` against the schema the document gives for this path,
 * method and status. OpenAPI 3.1 schemas are JSON Schema 2020-12; component
 * references resolve against the document itself.
 */
function validateAgainstDocument(path: string, status: number, body: unknown) {
  const schema = doc.paths[path]?.get?.responses[String(status)]?.content?.["application/json"]?.schema;
  if (!schema) throw new Error(`the document has no JSON schema for GET ${path} ${status}`);
  return new Validator({ ...schema, components: doc.components } as Schema, "2020-12", false).validate(body);
}

describe("the OpenAPI document", () => {
  it("is OpenAPI 3.1 with the API's title, the package version and licence", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBe("Edge Arena API");
    expect(doc.info.version).toBe(packageJson.version);
    expect(doc.info.license.name).toBe("MIT");
  });

  it("documents every public read and the battle endpoints", () => {
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/leaderboard",
        "/api/v1/leaderboard/categories",
        "/api/v1/models",
        "/api/v1/models/{id}",
        "/api/v1/battles",
        "/api/v1/battles/{id}/vote",
      ]),
    );
  });

  it("describes the battle event stream with an example, and types its events", () => {
    expect(doc.info.description).toContain("## Battle event stream");
    expect(doc.info.description).toContain('event: delta\ndata: {"type":"delta"');
    const events = new Validator({ $ref: "#/components/schemas/BattleStreamEvent", components: doc.components } as Schema, "2020-12");
    expect(events.validate({ type: "done", side: "a", finishReason: "stop" }).valid).toBe(true);
    expect(events.validate({ type: "done", side: "c", finishReason: "stop" }).valid).toBe(false);
  });

  it("documents the style parameter as an enum, so a bad style is a documented 400", () => {
    const leaderboard = doc.paths["/api/v1/leaderboard"]!.get! as unknown as { parameters: { name: string; schema: Schema }[] };
    expect(leaderboard.parameters.find((p) => p.name === "style")?.schema.enum).toEqual(["default", "control"]);
    expect(doc.paths["/api/v1/leaderboard"]!.get!.responses["400"]).toBeDefined();
  });
});

describe("every public answer matches its schema in the document", () => {
  const cases: [string, string, number][] = [
    ["/api/v1/leaderboard?category=overall&style=default", "/api/v1/leaderboard", 200],
    ["/api/v1/leaderboard?category=overall&style=control&matrices=1", "/api/v1/leaderboard", 200],
    ["/api/v1/leaderboard?category=coding", "/api/v1/leaderboard", 200],
    ["/api/v1/leaderboard?category=astrology", "/api/v1/leaderboard", 404],
    ["/api/v1/leaderboard?style=fancy", "/api/v1/leaderboard", 400],
    ["/api/v1/leaderboard/categories", "/api/v1/leaderboard/categories", 200],
    ["/api/v1/models", "/api/v1/models", 200],
    [`/api/v1/models/${ATLAS.id}`, "/api/v1/models/{id}", 200],
    ["/api/v1/models/no-such-model", "/api/v1/models/{id}", 404],
  ];

  it.each(cases)("GET %s", async (url, path, status) => {
    const response = await api(url);
    expect(response.status).toBe(status);

    const result = validateAgainstDocument(path, status, await response.json());

    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it("and the check has teeth: a row with a string rating is refused", async () => {
    const board = (await (await api("/api/v1/leaderboard")).json()) as { rows: Record<string, unknown>[] };
    board.rows[0]!.rating = "1042.7";

    expect(validateAgainstDocument("/api/v1/leaderboard", 200, board).valid).toBe(false);
  });
});

describe("GET /api/docs", () => {
  it("answers an HTML page whose scripts and styles are all served by this origin", async () => {
    const response = await api("/api/docs");

    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await response.text();
    const references = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);
    expect(references).toEqual(["/api-docs/swagger-ui.css", "/api-docs/swagger-ui-bundle.js", "/api/docs/init.js"]);
    expect(html).not.toMatch(/https?:|\/\/[a-z]/i);
  });

  it("forbids other origins in its content security policy", async () => {
    const csp = (await api("/api/docs")).headers.get("content-security-policy");
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toMatch(/https?:|\*/);
  });

  it("starts Swagger UI on this API's document, with the remote validator off", async () => {
    const response = await api("/api/docs/init.js");

    expect(response.headers.get("content-type")).toMatch(/^text\/javascript/);
    const script = await response.text();
    expect(script).toContain('url: "/api/v1/openapi.json"');
    expect(script).toContain("validatorUrl: null");
  });
});

describe("the webhooks section", () => {
  it("documents the six lab events with their envelopes and signature headers", async () => {
    const document = (await (await api("/api/v1/openapi.json")).json()) as { webhooks: Record<string, { post: { requestBody: { content: Record<string, { schema: Schema }> }; parameters: { name: string }[] } }> };
    expect(Object.keys(document.webhooks).sort()).toEqual(
      ["leaderboard.published", "model.rank_changed", "model.votes_milestone", "preview.results_ready", "model.released", "model.retired"].sort(),
    );
    const retired = document.webhooks["model.retired"]!.post;
    expect(retired.parameters.map((p) => p.name)).toEqual(["webhook-id", "webhook-timestamp", "webhook-signature"]);
    const validator = new Validator({ ...retired.requestBody.content["application/json"]!.schema, components: (document as unknown as { components: unknown }).components } as Schema, "2020-12");
    expect(validator.validate({ type: "model.retired", timestamp: "2026-12-04T00:00:00Z", data: { modelId: "m", name: "M", reason: "old", retiredAt: "2026-12-04T00:00:00Z" } }).valid).toBe(true);
    expect(validator.validate({ type: "model.retired", timestamp: "2026-12-04T00:00:00Z", data: { modelId: "m" } }).valid).toBe(false);
  });
});
