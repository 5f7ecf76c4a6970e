/**
 * The open data in R2 (worker/votelog/export.ts):
 *
 * - `GET /api/v1/datasets` → every vote-log segment with its seq range,
 *   record count, size, last hash and download URL; downloaded in order they
 *   are the whole log, verifiable from the genesis.
 * - `GET /api/v1/datasets/files/{name}` → a segment, with `ETag`,
 *   `If-None-Match`, `Range` and a year-long immutable cache lifetime.
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../app-env";
import { errorResponse } from "../http/errors";
import { failure, jsonAnswer } from "../http/openapi-answers";
import { route } from "../http/openapi-route";
import { SEGMENT_PREFIX } from "../votelog/export";

const FILE_NAME = /^votes-\d{12}-\d{12}\.jsonl$/;

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

const datasetsSchema = z
  .object({
    segments: z.array(
      z.object({
        name: z.string(),
        url: z.string(),
        first: z.number().int(),
        last: z.number().int(),
        records: z.number().int(),
        bytes: z.number().int(),
        etag: z.string(),
        lastHash: z.string().describe("The chain hash of the segment's last record."),
      }),
    ),
  })
  .openapi("Datasets");

export function registerDatasetRoutes(app: OpenAPIHono<AppEnv>): void {
  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/datasets",
      tags: ["Transparency"],
      summary: "The open vote log in R2, segment by segment",
      responses: { 200: jsonAnswer("The segments, in seq order", datasetsSchema) },
    }),
    async (c) => {
      const segments = [];
      let cursor: string | undefined;
      do {
        const page = await c.env.DATA.list({ prefix: SEGMENT_PREFIX, cursor, include: ["customMetadata"] });
        for (const o of page.objects) {
          const name = o.key.slice(SEGMENT_PREFIX.length);
          const meta = o.customMetadata ?? {};
          segments.push({ name, url: `/api/v1/datasets/files/${name}`, first: Number(meta.first), last: Number(meta.last), records: Number(meta.records), bytes: o.size, etag: o.httpEtag, lastHash: meta.headHash ?? "" });
        }
        cursor = page.truncated ? page.cursor : undefined;
      } while (cursor);
      c.header("cache-control", "public, max-age=60");
      return c.json({ segments }, 200);
    },
  );

  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/datasets/files/{name}",
      tags: ["Transparency"],
      summary: "Download a vote-log segment (JSONL: one canonical record per line)",
      request: { params: z.object({ name: z.string().max(64).openapi({ param: { name: "name", in: "path" } }) }) },
      responses: {
        200: { description: "The segment", content: { "application/x-ndjson": { schema: z.string() } } },
        206: { description: "The requested byte range" },
        304: { description: "Not modified (If-None-Match)" },
        404: failure("No such file"),
        416: failure("Range not satisfiable"),
      },
    }),
    async (c) => {
      const { name } = c.req.valid("param");
      if (!FILE_NAME.test(name)) return errorResponse(c, "not_found", "no such file");
      const headers = c.req.raw.headers;
      const key = SEGMENT_PREFIX + name;
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
    },
  );
}
