/**
 * A local server that speaks the wire protocols of OpenAI Chat Completions
 * (`POST /v1/chat/completions`, SSE chunks ending in `[DONE]`) and the Gemini
 * API (`POST /v1beta/models/{model}:streamGenerateContent?alt=sse`), so the
 * real AI SDK providers are exercised end to end without a network.
 *
 * The requested model name picks a behaviour:
 * - `ok-<anything>`: a short answer that states how many messages it saw;
 * - `slow-<anything>`: the same, 60 ms between chunks;
 * - `steady-<anything>`: ten chunks 120 ms apart, an answer that lasts
 *   longer than the tests' stall limit (400 ms) without ever pausing that long;
 * - `identity`: an answer that names its maker;
 * - `empty`: a completed stream with no text;
 * - `error-500`, `error-429`: an HTTP error before any chunk;
 * - `error-429-retry-after`: a 429 that says when to come back (`Retry-After: 1`);
 * - `malformed`: one good chunk, then a chunk that is not JSON;
 * - `cut`: two chunks, then the connection is destroyed;
 * - `stall`: one chunk, then silence until the client gives up (≤ 10 s);
 * - `web-<name>`: a one-file web app in an html block (WebDev);
 * - `needs-lab-key`: 401 unless the request carries LAB_ENDPOINT_KEY (OpenAI's
 *   `Authorization: Bearer`, Gemini's `x-goog-api-key`), else a short answer.
 *
 * It also plays Cloudflare Turnstile's Siteverify
 * (`POST /turnstile/v0/siteverify`, form- or JSON-encoded) with the
 * behaviours Cloudflare documents for its test secret keys
 * (https://developers.cloudflare.com/turnstile/troubleshooting/testing/):
 * `1x0000000000000000000000000000000AA` always passes,
 * `2x0000000000000000000000000000000AA` always fails,
 * `3x0000000000000000000000000000000AA` answers "token already spent";
 * any other secret is invalid, and a missing token is reported as such.
 * `POST /turnstile/outage/siteverify` answers 500, as Siteverify in an outage.
 *
 * And it is a webhook receiver: `POST /hooks/{name}` records the request
 * (headers and exact body) and answers per its query: `?fail=N` answers 500
 * to the first N requests, then 200; `?fail=always` always 500;
 * `?slow=MS` answers 200 after MS milliseconds; otherwise 200.
 * `GET /hooks/{name}` lists what `{name}` received.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { imageProvider } from "./images";
import { oauthProvider } from "./oauth";

type Message = { role: string; text: string; images?: number };
type Dialect = "openai" | "gemini";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
}

/** The Turnstile test secrets and what Siteverify answers for them. */
const TURNSTILE_TEST_SECRETS = {
  pass: "1x0000000000000000000000000000000AA",
  fail: "2x0000000000000000000000000000000AA",
  spent: "3x0000000000000000000000000000000AA",
} as const;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString("utf8");
  if (!(req.headers["content-type"] ?? "").includes("json")) return new URLSearchParams(text);
  return new URLSearchParams(Object.entries(JSON.parse(text) as Record<string, string>));
}

/** Siteverify's answer for `secret` and `response`, as documented for the test secrets. */
function siteverify(form: URLSearchParams): Record<string, unknown> {
  const secret = form.get("secret");
  const failure = (code: string) => ({ success: false, "error-codes": [code], messages: [] });
  if (!secret) return failure("missing-input-secret");
  if (!form.get("response")) return failure("missing-input-response");
  if (secret === TURNSTILE_TEST_SECRETS.pass) {
    return { success: true, challenge_ts: new Date().toISOString(), hostname: "example.com", "error-codes": [], action: "", cdata: "" };
  }
  if (secret === TURNSTILE_TEST_SECRETS.fail) return failure("invalid-input-response");
  if (secret === TURNSTILE_TEST_SECRETS.spent) return failure("timeout-or-duplicate");
  return failure("invalid-input-secret");
}

/** The answer of a well-behaved fake model, split into stream chunks. */
export function fakeAnswerChunks(messages: Message[]): string[] {
  const users = messages.filter((m) => m.role === "user");
  const last = users.at(-1)?.text ?? "";
  return [
    "Here is ",
    "my answer ",
    `to a ${last.length}-character question. `,
    `I have seen ${messages.length} messages `,
    `and ${users.length} prompts.`,
    ...(users.some((m) => m.images) ? [` I saw ${users.reduce((n, m) => n + (m.images ?? 0), 0)} images.`] : []),
  ];
}

/** `web-<name>`: a one-file app in an html block, saying whether a system prompt came with the request. */
function webAppChunks(behaviour: string, messages: Message[]): string[] {
  const system = messages.some((m) => m.role === "system") ? "with" : "without";
  return ["```html\n<!doctype html><html><body>", `<h1 id="app">${behaviour} app, ${system} a system prompt</h1>`, "<script>document.body.dataset.ran = 'yes'</script></body></html>\n```\n", "One file."];
}

function openAiMessages(body: Record<string, unknown>): Message[] {
  const messages = (body.messages as { role: string; content: unknown }[]) ?? [];
  return messages.map((m) => {
    if (typeof m.content === "string") return { role: m.role, text: m.content };
    const parts = m.content as { type: string; text?: string }[];
    return { role: m.role, text: parts.map((p) => p.text ?? "").join(""), images: parts.filter((p) => p.type === "image_url").length };
  });
}

function geminiMessages(body: Record<string, unknown>): Message[] {
  const contents = (body.contents as { role: string; parts: { text?: string; inlineData?: unknown }[] }[]) ?? [];
  return contents.map((c) => ({
    role: c.role === "model" ? "assistant" : "user",
    text: c.parts.map((p) => p.text ?? "").join(""),
    images: c.parts.filter((p) => p.inlineData !== undefined).length,
  }));
}

function openAiChunk(model: string, text: string | null, finish: string | null): string {
  return `data: ${JSON.stringify({
    id: "chatcmpl-fake",
    object: "chat.completion.chunk",
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, delta: text === null ? {} : { role: "assistant", content: text }, finish_reason: finish }],
  })}\n\n`;
}

function geminiChunk(text: string, finish: string | null): string {
  const candidate: Record<string, unknown> = { content: { parts: [{ text }], role: "model" }, index: 0 };
  if (finish) candidate.finishReason = finish;
  return `data: ${JSON.stringify({
    candidates: [candidate],
    usageMetadata: { promptTokenCount: 5, candidatesTokenCount: 5, totalTokenCount: 10 },
  })}\r\n\r\n`;
}

function errorBody(dialect: Dialect, status: number): string {
  const message = status === 429 ? "Rate limit reached for requests" : "The server had an error while processing your request";
  return dialect === "openai"
    ? JSON.stringify({ error: { message, type: "server_error", code: null } })
    : JSON.stringify({ error: { code: status, message, status: status === 429 ? "RESOURCE_EXHAUSTED" : "INTERNAL" } });
}

/** The key a lab's endpoint expects (behaviour `needs-lab-key`). */
export const LAB_ENDPOINT_KEY = "lab-endpoint-secret-5150";

/** The API key a request carries, in either provider's header. */
function keyOf(req: IncomingMessage): string | undefined {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
  return bearer ?? (req.headers["x-goog-api-key"] as string | undefined);
}

async function stream(res: ServerResponse, dialect: Dialect, model: string, messages: Message[], key?: string): Promise<void> {
  const behaviour = model.replace(/^models\//, "");
  if (behaviour === "needs-lab-key" && key !== LAB_ENDPOINT_KEY) {
    res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "Incorrect API key provided", type: "invalid_request_error", code: "invalid_api_key" } }));
    return;
  }
  if (behaviour === "error-500" || behaviour === "error-429" || behaviour === "error-429-retry-after") {
    const status = behaviour === "error-500" ? 500 : 429;
    const headers = { "content-type": "application/json", ...(behaviour === "error-429-retry-after" ? { "retry-after": "1" } : {}) };
    res.writeHead(status, headers).end(errorBody(dialect, status));
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const send = (text: string, finish: string | null = null) =>
    res.write(dialect === "openai" ? openAiChunk(model, text, finish) : geminiChunk(text, finish));
  const chunks =
    behaviour === "identity"
      ? ["I am ChatGPT, ", "a model trained by OpenAI."]
      : behaviour === "empty"
        ? []
        : behaviour.startsWith("web-")
          ? webAppChunks(behaviour, messages)
          : behaviour.startsWith("steady-")
            ? Array.from({ length: 10 }, (_, i) => `part ${i + 1} `)
            : fakeAnswerChunks(messages);
  const delay = behaviour.startsWith("slow-") ? 60 : behaviour.startsWith("steady-") ? 120 : 2;
  for (const [i, chunk] of chunks.entries()) {
    if (behaviour === "malformed" && i === 1) {
      res.write(dialect === "openai" ? 'data: {"id":"chatcmpl-fake","choices":[{"delta":{"content":\n\n' : 'data: {"candidates":[{"content":\r\n\r\n');
      res.end();
      return;
    }
    if (behaviour === "cut" && i === 2) {
      res.socket?.destroy();
      return;
    }
    if (behaviour === "stall" && i === 1) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 10_000);
        res.on("close", () => {
          clearTimeout(timer);
          resolve();
        });
      });
      res.end();
      return;
    }
    send(chunk);
    await sleep(delay);
  }
  if (dialect === "openai") {
    res.write(openAiChunk(model, null, "stop"));
    res.write("data: [DONE]\n\n");
  } else {
    res.write(geminiChunk("", "STOP"));
  }
  res.end();
}

/** What the `judge-<name>` models answer, as JSON text (a category judge's structured output). */
export const JUDGE_ANSWERS: Record<string, string> = {
  "judge-expert-math": JSON.stringify({
    categories: ["math"],
    fields: ["science"],
    criteria: ["specificity", "domain_knowledge", "complexity", "problem_solving", "creativity", "technical_accuracy", "real_world"],
    expert: true,
  }),
  "judge-made-up-tag": JSON.stringify({ categories: ["astrology"], fields: [], criteria: [], expert: false }),
  "judge-not-json": "I think this prompt is about maths.",
};

/** A non-streamed Chat Completions answer (`stream` absent or false). */
function completion(res: ServerResponse, model: string): void {
  if (model === "error-500") {
    res.writeHead(500, { "content-type": "application/json" }).end(errorBody("openai", 500));
    return;
  }
  const content = JUDGE_ANSWERS[model] ?? "Here is my answer.";
  res.writeHead(200, { "content-type": "application/json" }).end(
    JSON.stringify({
      id: "chatcmpl-fake",
      object: "chat.completion",
      created: 1_700_000_000,
      model,
      choices: [{ index: 0, message: { role: "assistant", content }, finish_reason: "stop" }],
      usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
    }),
  );
}

async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  if (req.method === "POST" && url.pathname === "/v1/chat/completions") {
    const body = await readJson(req);
    if (body.stream !== true) return completion(res, String(body.model));
    return stream(res, "openai", String(body.model), openAiMessages(body), keyOf(req));
  }
  const gemini = url.pathname.match(/^\/v1beta\/models\/([^:]+):streamGenerateContent$/);
  if (req.method === "POST" && gemini) {
    const body = await readJson(req);
    return stream(res, "gemini", decodeURIComponent(gemini[1]!), geminiMessages(body), keyOf(req));
  }
  if (req.method === "POST" && url.pathname === "/turnstile/v0/siteverify") {
    const verdict = siteverify(await readForm(req));
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(verdict));
    return;
  }
  if (req.method === "POST" && url.pathname === "/turnstile/outage/siteverify") {
    res.writeHead(500, { "content-type": "text/html" }).end("<h1>Internal Server Error</h1>");
    return;
  }
  if (url.pathname.startsWith("/outbound/")) return outbound(url, res);
  if (await oauthProvider(url, req, res)) return;
  if (await imageProvider(url, req, res)) return;
  const hook = url.pathname.match(/^\/hooks\/([\w-]{1,64})$/);
  if (hook) return receiver(hook[1]!, url, req, res);
  res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "not found" } }));
}

/** Requests seen per `/outbound/…` path: lets a test prove a redirect was not followed. */
const outboundHits = new Map<string, number>();

/** A receiver for outbound-fetch tests: ok, redirect, slow, and the hit counts. */
async function outbound(url: URL, res: ServerResponse): Promise<void> {
  if (url.pathname === "/outbound/hits") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(Object.fromEntries(outboundHits)));
    return;
  }
  outboundHits.set(url.pathname, (outboundHits.get(url.pathname) ?? 0) + 1);
  if (url.pathname === "/outbound/redirect") {
    res.writeHead(302, { location: "/outbound/after-redirect" }).end();
  } else if (url.pathname === "/outbound/slow") {
    await sleep(Number(url.searchParams.get("ms") ?? 2_000));
    res.writeHead(200).end("late");
  } else {
    res.writeHead(200, { "content-type": "text/plain" }).end("ok");
  }
}

export interface ReceivedHook {
  headers: Record<string, string>;
  body: string;
  at: number;
}

/** Requests each webhook receiver got, in order. */
const received = new Map<string, ReceivedHook[]>();

async function receiver(name: string, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method === "GET") {
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(received.get(name) ?? []));
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const list = received.get(name) ?? [];
  list.push({ headers: req.headers as Record<string, string>, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
  received.set(name, list);
  const fail = url.searchParams.get("fail");
  const slow = Number(url.searchParams.get("slow") ?? 0);
  if (slow > 0) await sleep(Math.min(slow, 10_000));
  const failing = fail === "always" || list.length <= Number(fail ?? 0);
  res.writeHead(failing ? 500 : 200, { "content-type": "text/plain" }).end(failing ? "receiver failure" : "ok");
}

/** Starts the fake on a free loopback port. */
export async function startFakeProviders(): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("fake provider server has no port");
  return { server, port: address.port };
}
