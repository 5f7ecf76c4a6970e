/**
 * The image endpoints of the fake provider server: OpenAI's Images API
 * (`POST /v1/images/generations`, answering `data[].b64_json`) and Gemini's
 * image output (`POST /v1beta/models/gemini-…:generateContent` with
 * `responseModalities: ["IMAGE"]`, answering an `inlineData` part), so the
 * AI SDK's real image providers run end to end. The model name (after
 * `gemini-` for Google) picks a behaviour:
 * - `ok-<anything>`: a 64×64 PNG whose colour depends on the model and prompt;
 * - `error-500`, `error-429`: an HTTP error;
 * - `not-an-image`: base64 of plain text;
 * - `bomb`: a PNG whose header claims 20000×20000 pixels.
 *
 * Every prompt is recorded; `GET /images/prompts` lists them.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { encode } from "fast-png";

const prompts: { dialect: string; model: string; prompt: string }[] = [];

function png(seed: string): Uint8Array {
  let h = 2166136261;
  for (const c of seed) h = Math.imul(h ^ c.charCodeAt(0), 16777619);
  const data = new Uint8Array(64 * 64 * 3);
  for (let i = 0; i < data.length; i += 3) {
    data[i] = h & 0xff;
    data[i + 1] = (h >>> 8) & 0xff;
    data[i + 2] = (i / 3) % 64 < 32 ? (h >>> 16) & 0xff : 255;
  }
  return encode({ width: 64, height: 64, data, channels: 3, depth: 8 });
}

/** A PNG signature and an IHDR that claim a huge image, with nothing behind them. */
function bomb(): Uint8Array {
  const real = png("bomb");
  const view = new DataView(real.buffer, real.byteOffset, real.byteLength);
  view.setUint32(16, 20_000);
  view.setUint32(20, 20_000);
  return real;
}

function imageFor(model: string, prompt: string): Uint8Array | string | number {
  if (model === "error-500") return 500;
  if (model === "error-429") return 429;
  if (model === "not-an-image") return "this is not an image";
  if (model === "bomb") return bomb();
  return png(`${model}\n${prompt}`);
}

const base64 = (bytes: Uint8Array | string) => Buffer.from(bytes).toString("base64");

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
}

function fail(res: ServerResponse, status: number): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: status === 429 ? "Rate limit reached" : "Server error", code: status } }));
}

/** Answers the image routes; false for any other request. */
export async function imageProvider(url: URL, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (req.method === "GET" && url.pathname === "/images/prompts") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(prompts));
    return true;
  }
  if (req.method === "POST" && url.pathname === "/v1/images/generations") {
    const request = await body(req);
    const model = String(request.model);
    const prompt = String(request.prompt);
    prompts.push({ dialect: "openai", model, prompt });
    const image = imageFor(model, prompt);
    if (typeof image === "number") fail(res, image);
    else res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ created: 1_700_000_000, data: [{ b64_json: base64(image) }] }));
    return true;
  }
  const gemini = url.pathname.match(/^\/v1beta\/models\/gemini-([^:]+):generateContent$/);
  if (req.method === "POST" && gemini) {
    const request = await body(req);
    const model = decodeURIComponent(gemini[1]!);
    const contents = request.contents as { parts: { text?: string }[] }[];
    const prompt = contents.flatMap((c) => c.parts.map((p) => p.text ?? "")).join("");
    prompts.push({ dialect: "google", model, prompt });
    const image = imageFor(model, prompt);
    if (typeof image === "number") fail(res, image);
    else {
      const candidate = { content: { role: "model", parts: [{ inlineData: { mimeType: "image/png", data: base64(image) } }] }, finishReason: "STOP", index: 0 };
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ candidates: [candidate], usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 1290, totalTokenCount: 1295 } }));
    }
    return true;
  }
  return false;
}
