/**
 * Images:
 * - `POST /api/v1/uploads` with the image as the raw body (`Content-Type`
 *   image/png, image/jpeg or image/webp) → UploadResponse; the id is then
 *   attached to a vision prompt (`"images": [id]` on `POST /api/v1/battles`);
 * - `GET /api/v1/media/{name}` → the stored image, cacheable for a year (a
 *   name is the hash of its bytes, so it never changes).
 */
import { createRoute, z, type OpenAPIHono } from "@hono/zod-openapi";
import { ArenaError } from "../../src/errors";
import { IMAGE_LIMITS } from "../../src/media/image";
import { uploadResponseSchema } from "../../src/wire-schemas";
import type { AppEnv } from "../app-env";
import { errorResponse } from "../http/errors";
import { failure, jsonAnswer } from "../http/openapi-answers";
import { route } from "../http/openapi-route";
import { MEDIA_NAME, mediaObject, storeImage } from "../media/store";

export const UPLOAD_PATH = "/api/v1/uploads";
const UPLOAD_TYPES = ["image/png", "image/jpeg", "image/webp"];

/** Reads at most `limit` bytes of the body; a longer body is refused without reading the rest. */
async function boundedBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) throw new ArenaError("payload_too_large", `Images may be at most ${limit / 1024 / 1024} MB`);
  const reader = request.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new ArenaError("payload_too_large", `Images may be at most ${limit / 1024 / 1024} MB`);
    }
    chunks.push(value);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.length;
  }
  return body;
}

export function registerMediaRoutes(app: OpenAPIHono<AppEnv>): void {
  route(
    app,
    createRoute({
      method: "post",
      path: UPLOAD_PATH,
      summary: "Upload an image for a vision prompt",
      description:
        "The raw image as the body. It is checked by its bytes (PNG, JPEG or WebP; at most 5 MB and 4096 pixels a side, at most 12.6 megapixels), " +
        "stripped of metadata (EXIF, GPS, XMP, comments) and stored under the SHA-256 of the result.",
      request: { body: { content: Object.fromEntries(UPLOAD_TYPES.map((type) => [type, { schema: z.string().openapi({ format: "binary" }) }])), required: true } },
      responses: {
        201: jsonAnswer("The stored image", uploadResponseSchema),
        413: failure("Larger than 5 MB"),
        415: failure("Not an image type the arena accepts"),
        422: failure("Not a valid image, or its dimensions are refused"),
      },
    }),
    async (c) => {
      const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
      if (!UPLOAD_TYPES.includes(type)) return errorResponse(c, "unsupported_media_type", `upload the image as the raw body with Content-Type ${UPLOAD_TYPES.join(", ")}`);
      const bytes = await boundedBody(c.req.raw, IMAGE_LIMITS.maxBytes);
      return c.json(await storeImage(c.env.MEDIA, bytes), 201);
    },
  );

  route(
    app,
    createRoute({
      method: "get",
      path: "/api/v1/media/{name}",
      summary: "A stored image",
      description: "An uploaded or generated image by its name (`<sha256>.png|jpg|webp`). Names never change meaning, so answers are cacheable for a year.",
      request: { params: z.object({ name: z.string().max(80).openapi({ param: { name: "name", in: "path" }, example: `${"0".repeat(64)}.png` }) }) },
      responses: {
        200: { description: "The image", content: Object.fromEntries(UPLOAD_TYPES.map((type) => [type, { schema: z.string().openapi({ format: "binary" }) }])) },
        404: failure("No such image"),
      },
    }),
    async (c) => {
      const { name } = c.req.valid("param");
      const object = MEDIA_NAME.test(name) ? await mediaObject(c.env.MEDIA, name) : null;
      if (!object) return errorResponse(c, "not_found", "no such image");
      const headers = new Headers();
      object.writeHttpMetadata(headers);
      headers.set("etag", object.httpEtag);
      // An image is never a document: even opened directly it runs nothing.
      headers.set("content-security-policy", "default-src 'none'; sandbox");
      return new Response(object.body, { headers });
    },
  );
}
