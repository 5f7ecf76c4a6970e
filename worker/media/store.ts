/**
 * Images in R2: uploads attached to vision prompts and the answers of
 * text-to-image models. Every image is checked and stripped of metadata
 * (src/media/image.ts) and stored under the SHA-256 of its bytes, so a name
 * never changes meaning and can be cached for a year.
 */
import { ArenaError } from "../../src/errors";
import { checkImage, type CheckedImage, type ImageMediaType } from "../../src/media/image";
import type { ImageRef, UploadResponse } from "../../src/wire";

const EXTENSIONS: Record<ImageMediaType, string> = { "image/png": "png", "image/jpeg": "jpg", "image/webp": "webp" };
const MEDIA_TYPES = new Map(Object.entries(EXTENSIONS).map(([type, ext]) => [ext, type as ImageMediaType]));

/** A stored image's name: its SHA-256 and extension (`<64 hex>.png`). */
export const MEDIA_NAME = /^([0-9a-f]{64})\.(png|jpg|webp)$/;

function hex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, "0")).join("");
}

function keyOf(name: string): string {
  return `media/${name}`;
}

/** Where stored images are served (`GET /api/v1/media/{name}`). */
export const MEDIA_PATH = "/api/v1/media/";

/** The public URL of a stored image. */
export function mediaUrl(name: string): string {
  return `${MEDIA_PATH}${name}`;
}

/** The stored name behind a media URL, or undefined for anything else. */
export function mediaNameOf(url: string): string | undefined {
  const name = url.startsWith(MEDIA_PATH) ? url.slice(MEDIA_PATH.length) : "";
  return MEDIA_NAME.test(name) ? name : undefined;
}

/**
 * Checks an image and stores it; the same bytes land on the same name, so
 * storing twice is harmless. Refusals are `invalid_image` (422) or
 * `payload_too_large` (413) with the checker's message.
 */
export async function storeImage(bucket: R2Bucket, input: Uint8Array): Promise<UploadResponse> {
  const checked = checkImage(input);
  if (!checked.ok) {
    const code = checked.rejection.code === "too_large" ? "payload_too_large" : "invalid_image";
    throw new ArenaError(code, checked.rejection.message);
  }
  return putChecked(bucket, checked.image);
}

async function putChecked(bucket: R2Bucket, image: CheckedImage): Promise<UploadResponse> {
  const id = hex(await crypto.subtle.digest("SHA-256", image.bytes));
  const name = `${id}.${EXTENSIONS[image.mediaType]}`;
  await bucket.put(keyOf(name), image.bytes, {
    httpMetadata: { contentType: image.mediaType, cacheControl: "public, max-age=31536000, immutable" },
    customMetadata: { width: String(image.width), height: String(image.height) },
  });
  return { id, url: mediaUrl(name), mediaType: image.mediaType, width: image.width, height: image.height, bytes: image.bytes.length };
}

/**
 * The stored images with these ids (upload ids are hashes; the extension is
 * looked up). Refused with `invalid_request` for an id nothing was stored
 * under, so a prompt never references an image that is not there.
 */
export async function uploadedImages(bucket: R2Bucket, ids: readonly string[]): Promise<ImageRef[]> {
  return Promise.all(
    ids.map(async (id) => {
      for (const [ext, mediaType] of MEDIA_TYPES) {
        const head = await bucket.head(keyOf(`${id}.${ext}`));
        if (!head) continue;
        const width = Number(head.customMetadata?.width);
        const height = Number(head.customMetadata?.height);
        return { url: mediaUrl(`${id}.${ext}`), mediaType, width, height };
      }
      throw new ArenaError("invalid_request", `no uploaded image with id ${id}; upload it with POST /api/v1/uploads first`);
    }),
  );
}

/** The bytes of a stored image, for sending it to a vision model. */
export async function imageBytes(bucket: R2Bucket, ref: ImageRef): Promise<Uint8Array> {
  const name = mediaNameOf(ref.url);
  const object = name ? await bucket.get(keyOf(name)) : null;
  if (!object) throw new Error(`stored image ${ref.url} is missing`);
  return new Uint8Array(await object.arrayBuffer());
}

/** The stored object behind a media name, for serving it. */
export function mediaObject(bucket: R2Bucket, name: string): Promise<R2ObjectBody | null> {
  return bucket.get(keyOf(name));
}
