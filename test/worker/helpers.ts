/**
 * Helpers for the worker tests: register fake models in D1, call the API the
 * way a client would (as the owner of the battles it started), and parse the
 * battle event stream.
 */
import { env, exports } from "cloudflare:workers";
import type { BattleStreamEvent, CreateBattleRequest, Modality, Winner } from "../../src/wire";
import { publishBattleModels } from "../../worker/catalog/live-catalog";
import { models, type NewModelRow } from "../../worker/db/schema";
import { drizzle } from "drizzle-orm/d1";

export interface FakeModel {
  id: string;
  name: string;
  organization: string;
  provider: "openai" | "google" | "openai-compatible";
  /** The fake server behaviour (see test/fake-providers/server.ts and images.ts). */
  behaviour: string;
  /** Default: a text model in the text arena. */
  modality?: Modality;
  arenas?: Modality[];
}

/**
 * Makes exactly these models (served by the fake provider server) the active
 * ones: storage is shared by the tests of a file, so earlier models are
 * retired rather than deleted (votes reference them).
 */
export async function registerModels(...list: FakeModel[]): Promise<void> {
  await env.DB.prepare("UPDATE models SET status = 'retired'").run();
  const rows: NewModelRow[] = list.map((m) => ({
    id: m.id,
    name: m.name,
    organization: m.organization,
    provider: m.provider,
    providerModelId: m.behaviour,
    endpoint: m.provider === "google" ? `${env.FAKE_PROVIDER_URL}/v1beta` : `${env.FAKE_PROVIDER_URL}/v1`,
    apiKeySecret: "FAKE_API_KEY",
    modality: m.modality ?? "text",
    arenas: m.arenas ?? null,
    status: "active",
    samplingWeight: 1,
    isDemo: false,
  }));
  for (const row of rows) {
    await drizzle(env.DB).insert(models).values(row).onConflictDoUpdate({ target: models.id, set: row });
  }
  await publishBattleModels(env);
}

export const ALPHA: FakeModel = { id: "falcon-alpha", name: "Falcon Alpha", organization: "Acme Labs", provider: "openai", behaviour: "ok-alpha" };
export const BRAVO: FakeModel = { id: "heron-bravo", name: "Heron Bravo", organization: "Borealis AI", provider: "google", behaviour: "ok-bravo" };

/** The session cookie (`arena_session=…`) of each battle a helper started, by battle id. */
const owners = new Map<string, string>();

/** The `arena_session=…` pair of a response's Set-Cookie, if it set one. */
export function sessionCookieOf(response: Response): string | undefined {
  const header = response.headers.getSetCookie().find((c) => c.startsWith("arena_session="));
  return header?.split(";")[0];
}

/** The session cookie of the helper-started battle `battleId`. */
export function ownerCookie(battleId: string): string {
  const cookie = owners.get(battleId);
  if (!cookie) throw new Error(`no helper-started battle ${battleId}`);
  return cookie;
}

/** Records the session a battle-starting response set, for battles started without `startBattle`. */
export function adoptBattle(battleId: string, response: Response): void {
  const cookie = sessionCookieOf(response);
  if (!cookie) throw new Error("a new battle without a cookie must set one");
  owners.set(battleId, cookie);
}

/** A random client address, so test files do not share one per-IP limit. */
export function randomIp(): string {
  const octet = () => 1 + Math.floor(Math.random() * 254);
  return `10.${octet()}.${octet()}.${octet()}`;
}

/**
 * Calls the Worker as a client would. Unless the caller sets them: requests
 * about a battle a helper started carry that battle's session cookie (the
 * owner's), and every request comes from a random IP address.
 */
export function api(path: string, init: RequestInit = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  const battleId = path.match(/^\/api\/v1\/battles\/([0-9a-f-]{36})/)?.[1];
  if (!headers.has("cookie") && battleId && owners.has(battleId)) headers.set("cookie", owners.get(battleId)!);
  if (!headers.has("cf-connecting-ip")) headers.set("cf-connecting-ip", randomIp());
  return exports.default.fetch(new Request(`http://arena.test${path}`, { ...init, headers }));
}

/** POSTs JSON as a browser would (see `api` for the cookie and address). */
export function postJson(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return api(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** Parses a complete SSE body into its events, checking `event:` matches `data.type`. */
export function parseEvents(body: string): BattleStreamEvent[] {
  return body
    .split("\n\n")
    .filter((frame) => frame.trim() !== "")
    .map((frame) => {
      const name = frame.match(/^event: (.+)$/m)?.[1];
      const data = frame.match(/^data: (.+)$/m)?.[1];
      if (!name || !data) throw new Error(`malformed SSE frame: ${frame}`);
      const event = JSON.parse(data) as BattleStreamEvent;
      if (event.type !== name) throw new Error(`event name ${name} does not match data type ${event.type}`);
      return event;
    });
}

export interface PlayedTurn {
  response: Response;
  raw: string;
  events: BattleStreamEvent[];
  battleId: string;
  text: { a: string; b: string };
}

async function readTurn(response: Response): Promise<PlayedTurn> {
  const raw = await response.text();
  if (response.status !== 200) throw new Error(`expected a stream, got ${response.status}: ${raw}`);
  const events = parseEvents(raw);
  const first = events[0];
  if (first?.type !== "battle") throw new Error("the first event must be `battle`");
  const text = { a: "", b: "" };
  for (const e of events) if (e.type === "delta") text[e.side] += e.text;
  return { response, raw, events, battleId: first.battleId, text };
}

/**
 * Starts a battle as a new visitor (no cookie, unless `headers` has one) and
 * remembers the session the server gave it, so later helpers act as its owner.
 */
export async function startBattle(body: CreateBattleRequest | Record<string, unknown>, headers: Record<string, string> = {}): Promise<PlayedTurn> {
  const turn = await readTurn(await postJson("/api/v1/battles", body, headers));
  if (headers.cookie && !sessionCookieOf(turn.response)) owners.set(turn.battleId, headers.cookie);
  else adoptBattle(turn.battleId, turn.response);
  return turn;
}

export async function continueBattle(battleId: string, prompt: string): Promise<PlayedTurn> {
  return readTurn(await postJson(`/api/v1/battles/${battleId}/messages`, { prompt }));
}

export function vote(battleId: string, winner: Winner | string, headers: Record<string, string> = {}): Promise<Response> {
  return postJson(`/api/v1/battles/${battleId}/vote`, { winner }, headers);
}

/** The models of a battle, once the record has it (the battle row is written by the outbox). */
export async function battlePair(battleId: string): Promise<[string, string]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const [row] = await d1Rows<{ model_a: string; model_b: string }>("SELECT model_a, model_b FROM battles WHERE id = ?", battleId);
    if (row) return [row.model_a, row.model_b];
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`battle ${battleId} never reached the record`);
}

export async function d1Rows<T>(sql: string, ...params: unknown[]): Promise<T[]> {
  return (await env.DB.prepare(sql).bind(...params).all<T>()).results;
}
