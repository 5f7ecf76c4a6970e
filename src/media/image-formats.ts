/**
 * Structural readers for PNG, JPEG and WebP. Each walks the container once,
 * refuses what does not parse, reads the dimensions from the headers, and
 * collects the byte ranges worth keeping, so stripping is a concatenation and
 * nothing is ever decoded.
 */

/** Why a reader gave up; image.ts turns it into a rejection. */
export class ImageFormatError extends Error {
  constructor(
    readonly code: "corrupt" | "unsupported_type",
    message: string,
  ) {
    super(message);
  }
}

/** What a reader found: header dimensions and the pieces of a metadata-free copy, in order. */
export interface ParsedImage {
  width: number;
  height: number;
  /** Frames an animated PNG declares (its acTL chunk); 1 otherwise. */
  frames: number;
  pieces: Uint8Array[];
}

function corrupt(message: string): never {
  throw new ImageFormatError("corrupt", message);
}

const u16be = (b: Uint8Array, i: number) => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
const u16le = (b: Uint8Array, i: number) => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
const u24le = (b: Uint8Array, i: number) => u16le(b, i) | ((b[i + 2] ?? 0) << 16);
const u32be = (b: Uint8Array, i: number) => ((u16be(b, i) << 16) | u16be(b, i + 2)) >>> 0;
const u32le = (b: Uint8Array, i: number) => (u16le(b, i) | (u16le(b, i + 2) << 16)) >>> 0;
const ascii = (b: Uint8Array, start: number, length: number) => String.fromCharCode(...b.subarray(start, start + length));
const startsWith = (b: Uint8Array, prefix: string) => b.length >= prefix.length && ascii(b, 0, prefix.length) === prefix;

/** Joins the pieces into one fresh buffer, so the result never aliases the upload. */
export function concat(pieces: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// ---------------------------------------------------------------- PNG

// Everything that changes the rendered pixels or colours, plus APNG animation.
// pHYs is dropped: renderers size images by pixel count, so it only records the source's DPI.
const PNG_KEEP = new Set(["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "cICP", "mDCV", "cLLI", "acTL", "fcTL", "fdAT"]);
const PNG_CRITICAL = new Set(["IHDR", "PLTE", "IDAT", "IEND"]);
// Allowed bit depths per colour type (PNG spec, table 11.1).
const PNG_DEPTHS: Record<number, number[]> = { 0: [1, 2, 4, 8, 16], 2: [8, 16], 3: [1, 2, 4, 8], 4: [8, 16], 6: [8, 16] };
const isLetter = (c: number) => (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

/** Reads a PNG whose 8-byte signature has already been matched. Bytes after IEND are dropped. */
export function parsePng(bytes: Uint8Array): ParsedImage {
  const pieces = [bytes.subarray(0, 8)];
  let width = 0, height = 0, colourType = -1, idat = false, plte = false, frames = 1;
  for (let pos = 8; ; ) {
    if (pos + 12 > bytes.length) corrupt("The PNG ends before its IEND chunk");
    const length = u32be(bytes, pos);
    const end = pos + 12 + length;
    if (length > 0x7fffffff || end > bytes.length) corrupt("A PNG chunk runs past the end of the file");
    if (![0, 1, 2, 3].every((k) => isLetter(bytes[pos + 4 + k] ?? 0))) corrupt("A PNG chunk has an invalid name");
    const type = ascii(bytes, pos + 4, 4);
    if ((pos === 8) !== (type === "IHDR")) corrupt("A PNG must start with exactly one IHDR chunk");
    // A lowercase first letter marks an ancillary chunk that decoders may skip; an unknown critical one cannot be rendered.
    if ((bytes[pos + 4]! & 0x20) === 0 && !PNG_CRITICAL.has(type)) corrupt(`The PNG has an unknown critical chunk "${type}"`);
    if (type === "IHDR") {
      if (length !== 13) corrupt("The PNG header has the wrong length");
      width = u32be(bytes, pos + 8);
      height = u32be(bytes, pos + 12);
      colourType = bytes[pos + 17] ?? -1;
      const depth = bytes[pos + 16] ?? 0;
      const [compression, filter, interlace] = [bytes[pos + 18], bytes[pos + 19], bytes[pos + 20]];
      if (!PNG_DEPTHS[colourType]?.includes(depth) || compression !== 0 || filter !== 0 || (interlace !== 0 && interlace !== 1)) {
        corrupt("The PNG header describes an impossible pixel format");
      }
    }
    if (type === "acTL") {
      if (length !== 8) corrupt("The PNG's animation control chunk has the wrong length");
      frames = Math.max(1, u32be(bytes, pos + 8));
    }
    idat ||= type === "IDAT";
    plte ||= type === "PLTE";
    if (PNG_KEEP.has(type)) pieces.push(bytes.subarray(pos, end));
    pos = end;
    if (type === "IEND") break;
  }
  if (!idat) corrupt("The PNG has no image data");
  if (colourType === 3 && !plte) corrupt("The PNG uses a palette but has none");
  return { width, height, frames, pieces };
}

// ---------------------------------------------------------------- JPEG

const SOS = 0xda, EOI = 0xd9, APP0 = 0xe0, APP1 = 0xe1, APP2 = 0xe2, APP14 = 0xee, COM = 0xfe;
// SOF markers are C0–CF except DHT (C4), JPG (C8) and DAC (CC).
const isFrameMarker = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
// Baseline, extended and progressive Huffman: the kinds browsers and model providers decode.
const SUPPORTED_FRAMES = new Set([0xc0, 0xc1, 0xc2]);

/** Reads a JPEG whose SOI has already been matched. Bytes after the first EOI (e.g. MPF extra images) are dropped. */
export function parseJpeg(bytes: Uint8Array): ParsedImage {
  const pieces = [bytes.subarray(0, 2)];
  let frame: { width: number; height: number } | undefined;
  let scans = 0;
  for (let pos = 2; ; ) {
    if (pos >= bytes.length) corrupt("The JPEG ends before its EOI marker");
    if (bytes[pos] !== 0xff) corrupt("A JPEG segment does not start with a marker");
    while (bytes[pos + 1] === 0xff) pos++; // fill bytes may pad any marker
    const marker = bytes[pos + 1];
    if (marker === undefined) corrupt("The JPEG ends before its EOI marker");
    if (marker === EOI) {
      if (!frame || scans === 0) corrupt("The JPEG has no image data");
      pieces.push(bytes.subarray(pos, pos + 2));
      return { ...frame, frames: 1, pieces };
    }
    if (marker === 0xd8 || marker === 0x00 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) corrupt("The JPEG has a marker out of place");
    const end = pos + 2 + u16be(bytes, pos + 2);
    if (end < pos + 4 || end > bytes.length) corrupt("A JPEG segment runs past the end of the file");
    const payload = bytes.subarray(pos + 4, end);
    if (isFrameMarker(marker)) {
      if (!SUPPORTED_FRAMES.has(marker)) throw new ImageFormatError("unsupported_type", "Only baseline and progressive JPEGs are supported");
      if (frame) corrupt("The JPEG has more than one frame header");
      if (payload.length < 6 || payload.length !== 6 + 3 * (payload[5] ?? 0)) corrupt("The JPEG frame header has the wrong length");
      frame = { height: u16be(payload, 1), width: u16be(payload, 3) };
    }
    let segmentEnd = end;
    if (marker === SOS) {
      if (!frame) corrupt("The JPEG scan comes before its frame header");
      scans++;
      segmentEnd = endOfEntropyData(bytes, end);
    }
    const kept = keptJpegSegment(marker, payload, bytes.subarray(pos, segmentEnd));
    if (kept) pieces.push(kept);
    pos = segmentEnd;
  }
}

/** Finds the next real marker after a scan: 0xFF is followed by 0x00 (stuffing), a restart marker, or the marker ending the scan. */
function endOfEntropyData(bytes: Uint8Array, from: number): number {
  // A plain loop, not indexOf: indexOf is faster on real photos but ~10× slower on a file made of stuffed 0xFF bytes.
  for (let i = from; i + 1 < bytes.length; i++) {
    if (bytes[i] !== 0xff) continue;
    const next = bytes[i + 1]!;
    if (next !== 0x00 && next !== 0xff && (next < 0xd0 || next > 0xd7)) return i;
  }
  return corrupt("The JPEG ends inside its image data");
}

/** The segment as it should appear in the stripped file, or undefined to drop it. */
function keptJpegSegment(marker: number, payload: Uint8Array, segment: Uint8Array): Uint8Array | undefined {
  if (marker === APP0) {
    if (!startsWith(payload, "JFIF\0") || payload.length < 14) return undefined;
    if (payload.length === 14) return segment;
    // A JFIF thumbnail can show what the main image was cropped from; keep the header, drop the thumbnail.
    return concat([Uint8Array.of(0xff, APP0, 0, 16), payload.subarray(0, 12), Uint8Array.of(0, 0)]);
  }
  if (marker === APP1) {
    const orientation = exifOrientation(payload);
    return orientation === undefined ? undefined : orientationSegment(orientation);
  }
  if (marker === APP2) return startsWith(payload, "ICC_PROFILE\0") ? segment : undefined;
  // Adobe APP14 says whether the components are RGB or YCbCr, so it changes the colours.
  if (marker === APP14) return startsWith(payload, "Adobe") ? segment : undefined;
  if ((marker > APP0 && marker <= 0xef) || marker === COM) return undefined;
  return segment;
}

/** The EXIF Orientation (2–8) in IFD0: renderers rotate by it, so losing it would turn phone photos sideways. */
function exifOrientation(payload: Uint8Array): number | undefined {
  if (!startsWith(payload, "Exif\0\0")) return undefined;
  const tiff = payload.subarray(6);
  const order = ascii(tiff, 0, 2);
  if ((order !== "II" && order !== "MM") || tiff.length < 8) return undefined;
  const view = new DataView(tiff.buffer, tiff.byteOffset, tiff.byteLength);
  const little = order === "II";
  const ifd = view.getUint32(4, little);
  if (ifd + 2 > tiff.length) return undefined;
  for (let i = 0, count = view.getUint16(ifd, little); i < count; i++) {
    const entry = ifd + 2 + 12 * i;
    if (entry + 12 > tiff.length) return undefined;
    if (view.getUint16(entry, little) !== 0x0112 || view.getUint16(entry + 2, little) !== 3) continue;
    const value = view.getUint16(entry + 8, little);
    return value >= 2 && value <= 8 ? value : undefined;
  }
  return undefined;
}

/** A fresh APP1 holding only the orientation: "Exif\0\0", a big-endian TIFF header and a one-entry IFD0. */
function orientationSegment(orientation: number): Uint8Array {
  return Uint8Array.of(
    0xff, APP1, 0, 34, ...[0x45, 0x78, 0x69, 0x66, 0, 0], // "Exif\0\0"
    ...[0x4d, 0x4d, 0, 42, 0, 0, 0, 8], // "MM", 42, IFD0 at offset 8
    ...[0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0], // one entry: Orientation, SHORT, count 1
    ...[0, 0, 0, 0], // no next IFD
  );
}

// ---------------------------------------------------------------- WebP

// EXIF, "XMP " and unknown chunks are dropped; ICCP stays because it sets the colours.
const WEBP_KEEP = new Set(["VP8X", "VP8 ", "VP8L", "ALPH", "ANIM", "ANMF", "ICCP"]);
const VP8X_EXIF = 0x08, VP8X_XMP = 0x04, VP8X_ANIMATION = 0x02;

interface RiffChunk { fourcc: string; payload: Uint8Array; whole: Uint8Array }

/** Reads a WebP whose "RIFF….WEBP" header has already been matched. Bytes after the RIFF size are dropped. */
export function parseWebp(bytes: Uint8Array): ParsedImage {
  const riffEnd = 8 + u32le(bytes, 4);
  if (riffEnd < 12 || riffEnd > bytes.length) corrupt("The WebP file size does not match its header");
  const chunks: RiffChunk[] = [];
  for (let pos = 12; pos < riffEnd; ) {
    if (pos + 8 > riffEnd) corrupt("A WebP chunk header is cut short");
    const size = u32le(bytes, pos + 4);
    const end = pos + 8 + size + (size & 1); // payloads are padded to an even length
    if (end > riffEnd) corrupt("A WebP chunk runs past the end of the file");
    chunks.push({ fourcc: ascii(bytes, pos, 4), payload: bytes.subarray(pos + 8, pos + 8 + size), whole: bytes.subarray(pos, end) });
    pos = end;
  }
  const [first] = chunks;
  if (!first) return corrupt("The WebP has no image data");
  let size: { width: number; height: number };
  const kept = chunks.filter((c) => WEBP_KEEP.has(c.fourcc)).map((c) => c.whole);
  if (first.fourcc === "VP8X") {
    if (first.payload.length !== 10) corrupt("The WebP extended header has the wrong length");
    const flags = first.payload[0]!;
    size = { width: u24le(first.payload, 4) + 1, height: u24le(first.payload, 7) + 1 };
    if (flags & VP8X_ANIMATION) {
      if (!chunks.some((c) => c.fourcc === "ANMF")) corrupt("The animated WebP has no frames");
    } else {
      // Decoders allocate from the bitstream, so a canvas smaller than the bitstream would dodge the pixel budget.
      const bitstream = chunks.find((c) => c.fourcc === "VP8 " || c.fourcc === "VP8L");
      const inner = bitstream ? bitstreamSize(bitstream) : corrupt("The WebP has no image data");
      if (inner.width !== size.width || inner.height !== size.height) corrupt("The WebP canvas and image sizes differ");
    }
    const header = concat([first.whole]);
    header[8] = flags & ~(VP8X_EXIF | VP8X_XMP);
    kept[0] = header;
  } else {
    size = bitstreamSize(first);
  }
  const riff = Uint8Array.of(0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50); // "RIFF" size "WEBP"
  new DataView(riff.buffer).setUint32(4, 4 + kept.reduce((n, c) => n + c.length, 0), true);
  return { ...size, frames: Math.max(1, chunks.filter((c) => c.fourcc === "ANMF").length), pieces: [riff, ...kept] };
}

/** Dimensions from a VP8 (lossy key frame) or VP8L (lossless) bitstream header. */
function bitstreamSize(chunk: RiffChunk): { width: number; height: number } {
  const p = chunk.payload;
  if (chunk.fourcc === "VP8 ") {
    const keyFrame = p.length >= 10 && (p[0]! & 1) === 0 && p[3] === 0x9d && p[4] === 0x01 && p[5] === 0x2a;
    if (!keyFrame) corrupt("The WebP lossy header is invalid");
    return { width: u16le(p, 6) & 0x3fff, height: u16le(p, 8) & 0x3fff };
  }
  if (chunk.fourcc !== "VP8L") return corrupt("The WebP does not start with an image chunk");
  const bits = u32le(p, 1);
  if (p.length < 5 || p[0] !== 0x2f || bits >>> 29 !== 0) corrupt("The WebP lossless header is invalid");
  return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
}
