/**
 * Checks images attached to vision prompts before they are stored: the real
 * type from magic bytes, the size, the dimensions from the headers (so a
 * decompression bomb is refused before anything decodes it), and a copy with
 * the metadata (EXIF, GPS, XMP, comments, thumbnails) taken out.
 */
import { concat, ImageFormatError, parseJpeg, parsePng, parseWebp, type ParsedImage } from "./image-formats";

export type ImageMediaType = "image/png" | "image/jpeg" | "image/webp";

/** Defaults for checkImage; an arena or a test may override any of them. */
export const IMAGE_LIMITS = { maxBytes: 5 * 1024 * 1024, maxWidth: 4096, maxHeight: 4096, maxPixels: 12_582_912, minSide: 8 } as const;

/** Numbers, not the literal defaults: `Partial<typeof IMAGE_LIMITS>` would only accept the default values. */
export type ImageLimits = { [K in keyof typeof IMAGE_LIMITS]: number };

export type ImageRejection =
  | { code: "unsupported_type"; message: string }
  | { code: "too_large"; message: string }
  | { code: "bad_dimensions"; message: string }
  | { code: "decompression_bomb"; message: string }
  | { code: "corrupt"; message: string };

export interface CheckedImage {
  mediaType: ImageMediaType;
  /** As stored; an EXIF orientation of 5–8 displays the image with width and height swapped. */
  width: number;
  height: number;
  /** A fresh copy of the upload with its metadata removed, on its own ArrayBuffer (so Web Crypto and R2 accept it). */
  bytes: Uint8Array<ArrayBuffer>;
}

type CheckResult = { ok: true; image: CheckedImage } | { ok: false; rejection: ImageRejection };

const PARSERS: Record<ImageMediaType, (bytes: Uint8Array) => ParsedImage> = {
  "image/png": parsePng,
  "image/jpeg": parseJpeg,
  "image/webp": parseWebp,
};

/** Animations may decode to this many times the still-image pixel budget, over all frames. */
const ANIMATION_PIXEL_FACTOR = 4;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const hasBytes = (input: Uint8Array, at: number, expected: number[]) => expected.every((b, i) => input[at + i] === b);

/** The type the bytes really are; the declared type and file name are never trusted. */
function sniff(input: Uint8Array): ImageMediaType | undefined {
  if (hasBytes(input, 0, PNG_SIGNATURE)) return "image/png";
  if (hasBytes(input, 0, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (hasBytes(input, 0, [0x52, 0x49, 0x46, 0x46]) && hasBytes(input, 8, [0x57, 0x45, 0x42, 0x50])) return "image/webp";
  return undefined;
}

const refuse = (code: ImageRejection["code"], message: string): CheckResult => ({ ok: false, rejection: { code, message } });

const MIB = 1024 * 1024;
const describeBytes = (n: number) => (n >= MIB ? `${Math.round((n / MIB) * 10) / 10} MB` : `${n.toLocaleString("en-US")} bytes`);

/**
 * Checks an uploaded image and returns it with metadata removed, or the reason it is refused.
 * Only headers and container structure are read, so the cost is bounded by the byte limit
 * whatever the image claims to contain; it never throws on malformed input.
 */
export function checkImage(input: Uint8Array, limits?: Partial<ImageLimits>): CheckResult {
  const limit: ImageLimits = { ...IMAGE_LIMITS, ...limits };
  if (input.byteLength > limit.maxBytes) return refuse("too_large", `Images may be at most ${describeBytes(limit.maxBytes)}`);
  const mediaType = sniff(input);
  if (!mediaType) return refuse("unsupported_type", "Images must be PNG, JPEG or WebP");
  let parsed: ParsedImage;
  try {
    parsed = PARSERS[mediaType](input);
  } catch (error) {
    if (error instanceof ImageFormatError) return refuse(error.code, error.message);
    throw error;
  }
  const { width, height } = parsed;
  if (width < limit.minSide || height < limit.minSide) {
    return refuse("bad_dimensions", `Images must be at least ${limit.minSide}×${limit.minSide} pixels`);
  }
  if (width > limit.maxWidth || height > limit.maxHeight) {
    return refuse("bad_dimensions", `Images may be at most ${limit.maxWidth}×${limit.maxHeight} pixels`);
  }
  if (width * height > limit.maxPixels) {
    return refuse("decompression_bomb", `Images may have at most ${limit.maxPixels.toLocaleString("en-US")} pixels`);
  }
  // An animation decodes every frame: its frames share the same pixel budget.
  if (parsed.frames > 1 && parsed.frames * width * height > limit.maxPixels * ANIMATION_PIXEL_FACTOR) {
    return refuse("decompression_bomb", `An animated image may have at most ${(limit.maxPixels * ANIMATION_PIXEL_FACTOR).toLocaleString("en-US")} pixels over all its frames`);
  }
  return { ok: true, image: { mediaType, width, height, bytes: concat(parsed.pieces) } };
}

/**
 * Removes metadata while keeping every byte that affects how the image renders
 * (pixels, palette, transparency, colour profile, orientation, animation).
 * Exported for tests; throws ImageFormatError if the bytes are not a well-formed image of that type.
 */
export function stripMetadata(mediaType: ImageMediaType, bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  if (sniff(bytes) !== mediaType) throw new ImageFormatError("unsupported_type", `These bytes are not ${mediaType}`);
  return concat(PARSERS[mediaType](bytes).pieces);
}
