/**
 * The open data in R2 (worker/votelog/export.ts):
 *
 * - `GET /api/v1/datasets` → the datasets, one per recent publication
 *   (worker/votelog/dataset.ts), newest first, and every full vote-log
 *   segment with its seq range, record count, size, SHA-256 and last hash.
 * - `GET /api/v1/datasets/files/{name}` → a segment;
 *   `GET /api/v1/datasets/{id}/{name}` → a dataset's card, publication or
 *   log tail. Every file is immutable: `ETag`, `If-None-Match`, `Range` and a
 *   year-long cache lifetime.
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../app-env";
import { errorResponse } from "../http/errors";
import { failure, jsonAnswer } from "../http/openapi-answers";
import { route } from "../http/openapi-route";
import { DATASET_PREFIX, listDatasetIds } from "../votelog/dataset";
import { listSegments, SEGMENT_PREFIX } from "../votelog/export";

const SEGMENT_FILE = /^votes-\d{12}-\d{12}\.(jsonl|parquet)$/;
const DATASET_ID = /^\d{1,16}\.\d{1,16}$/;
const DATASET_FILE = /^(card\.json|publication\.json|conversations\.jsonl|votes-tail-\d{12}-\d{12}\.(jsonl|parquet))$/;

/**
 * One byte range of a `Range: bytes=…` header (RFC 9110 §14.1.2) against a
 * file of `size` bytes; null for a header this route ignores (several ranges,
 * another unit: the whole file is sent), "unsatisfiable" for a range outside it.
 */
export function byteRange(header: string, size: number): { offset: number; length: number } | "unsatisfiable" | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return null;
  if (match[1] === "") {
    const suffix = Math.min(Number(match[2]), size);
    return suffix > 0 ? { offset: size - suffix, length: suffix } : "unsatisfiable";
  }
  const start = Number(match[1]);
  const end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return { offset: start, length: end - start + 1 };
}

const logFileSchema = z.object({
  name: z.string(),
  url: z.string(),
  first: z.number().int(),
  last: z.number().int(),
  records: z.number().int(),
  bytes: z.number().int(),
  sha256: z.string(),
  lastHash: z.string().describe("The chain hash of the file's last record."),
  parquet: z.object({ name: z.string(), url: z.string(), bytes: z.number().int(), sha256: z.string() }).describe("The same records as Parquet"),
});

const datasetsSchema = z
  .object({
    datasets: z
      .array(
        z.object({
          id: z.string().describe("The publication id"),
          computedAt: z.string(),
          chainHead: z.object({ seq: z.number().int(), hash: z.string() }),
          card: z.string().describe("URL of the dataset card: schema, licence, counts, parameters and the files of the log up to the chain head"),
          publication: z.string().describe("URL of the boards as published"),
        }),
      )
      .describe("Newest first"),
    segments: z.array(logFileSchema.extend({ etag: z.string() })).describe("The full log segments, in seq order"),
  })
  .openapi("Datasets");

/** An immutable file in the DATA bucket, with ETag, If-None-Match and Range. */
async function serveFile(c: Context<AppEnv>, key: string): Promise<Response> {
  const headers = c.req.raw.headers;
  const head = await c.env.DATA.head(key);
  if (!head) return errorResponse(c, "not_found", "no such file");
  const wanted = headers.has("range") ? byteRange(headers.get("range")!, head.size) : null;
  if (wanted === "unsatisfiable") return errorResponse(c, "range_not_satisfiable", "the requested range is outside the file");
  const object = await c.env.DATA.get(key, { onlyIf: headers, ...(wanted ? { range: wanted } : {}) });
  if (!object) return errorResponse(c, "not_found", "no such file");
  const out = new Headers();
  object.writeHttpMetadata(out);
  out.set("etag", object.httpEtag);
  out.set("accept-ranges", "bytes");
  if (!("body" in object)) return new Response(null, { status: 304, headers: out });
  if (wanted) {
    out.set("content-range", `bytes ${wanted.offset}-${wanted.offset + wanted.length - 1}/${object.size}`);
    out.set("content-length", String(wanted.length));
    return new Response(object.body, { status: 206, headers: out });
  }
  out.set("content-length", String(object.size));
  return new Response(object.body, { status: 200, headers: out });
}

const fileResponses = {
  200: { description: "The file", content: { "application/octet-stream": { schema: z.string() } } },
  206: { description: "The requested byte range" },
  304: { description: "Not modified (If-None-Match)" },
  404: failure("No such file"),
  416: failure("Range not satisfiable"),
};

export function registerDatasetRoutes(app: OpenAPIHono<AppEnv>): void {
  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/datasets",
      tags: ["Transparency"],
      summary: "The open datasets: one per publication, and the vote-log segments they share",
      responses: { 200: jsonAnswer("The datasets and segments", datasetsSchema) },
    }),
    async (c) => {
      const segments = (await listSegments(c.env.DATA)).map((s) => ({ ...s, url: `/api/v1/datasets/files/${s.name}`, parquet: { ...s.parquet, url: `/api/v1/datasets/files/${s.parquet.name}` } }));
      const datasets = [];
      for (const id of (await listDatasetIds(c.env.DATA)).reverse()) {
        const card = await c.env.DATA.head(`${DATASET_PREFIX}${id}/card.json`);
        // Not yet complete (the card is written last) or being pruned.
        if (!card) continue;
        const meta = card.customMetadata ?? {};
        datasets.push({
          id,
          computedAt: meta.computedAt ?? "",
          chainHead: { seq: Number(meta.headSeq), hash: meta.headHash ?? "" },
          card: `/api/v1/datasets/${id}/card.json`,
          publication: `/api/v1/datasets/${id}/publication.json`,
        });
      }
      c.header("cache-control", "public, max-age=60");
      return c.json({ datasets, segments }, 200);
    },
  );

  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/datasets/files/{name}",
      tags: ["Transparency"],
      summary: "Download a vote-log segment (JSONL: one canonical record per line; or its Parquet copy)",
      request: { params: z.object({ name: z.string().max(64).openapi({ param: { name: "name", in: "path" } }) }) },
      responses: fileResponses,
    }),
    async (c) => {
      const { name } = c.req.valid("param");
      if (!SEGMENT_FILE.test(name)) return errorResponse(c, "not_found", "no such file");
      return serveFile(c, SEGMENT_PREFIX + name);
    },
  );

  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/datasets/{id}/{name}",
      tags: ["Transparency"],
      summary: "Download a file of a publication's dataset: card.json, publication.json, the log's tail, or conversations.jsonl (only of people who allow it, scrubbed)",
      request: {
        params: z.object({
          id: z.string().max(40).openapi({ param: { name: "id", in: "path" } }),
          name: z.string().max(64).openapi({ param: { name: "name", in: "path" } }),
        }),
      },
      responses: fileResponses,
    }),
    async (c) => {
      const { id, name } = c.req.valid("param");
      if (!DATASET_ID.test(id) || !DATASET_FILE.test(name)) return errorResponse(c, "not_found", "no such file");
      return serveFile(c, `${DATASET_PREFIX}${id}/${name}`);
    },
  );
}
