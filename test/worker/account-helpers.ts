/**
 * What a browser with a passkey does, for the account tests: a cookie jar
 * that keeps what the Worker sets (as a script would, or forges), and a
 * software authenticator — an ECDSA P-256 key made with Web Crypto, whose
 * attestation (format "none") and assertions are encoded in CBOR and
 * signed here exactly as a platform authenticator would.
 */
import { exports } from "cloudflare:workers";
import type { SignedInResponse } from "../../src/accounts/wire";
import type { BattleStreamEvent } from "../../src/wire";
import { parseEvents, randomIp } from "./helpers";

export const ORIGIN = "http://arena.test";

export function b64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromB64url(text: string): Uint8Array {
  return Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));
}

function concat(...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Minimal CBOR (RFC 8949) for what authenticators emit: integers, byte and text strings, maps. */
type Cbor = number | string | Uint8Array | Map<Cbor, Cbor>;
function cbor(value: Cbor): Uint8Array {
  const head = (major: number, n: number) =>
    n < 24 ? Uint8Array.of((major << 5) | n) : n < 256 ? Uint8Array.of((major << 5) | 24, n) : Uint8Array.of((major << 5) | 25, n >> 8, n & 255);
  if (typeof value === "number") return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === "string") {
    const bytes = new TextEncoder().encode(value);
    return concat(head(3, bytes.length), bytes);
  }
  if (value instanceof Uint8Array) return concat(head(2, value.length), value);
  return concat(head(5, value.size), ...[...value].flatMap(([k, v]) => [cbor(k), cbor(v)]));
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
}

/** Web Crypto's raw r‖s signature as the ASN.1 DER that WebAuthn's ES256 uses. */
function derSignature(raw: Uint8Array): Uint8Array {
  const integer = (bytes: Uint8Array) => {
    let start = 0;
    while (start < bytes.length - 1 && bytes[start] === 0) start++;
    const trimmed = bytes.slice(start);
    const body = trimmed[0]! & 0x80 ? concat(Uint8Array.of(0), trimmed) : trimmed;
    return concat(Uint8Array.of(0x02, body.length), body);
  };
  const seq = concat(integer(raw.slice(0, 32)), integer(raw.slice(32)));
  return concat(Uint8Array.of(0x30, seq.length), seq);
}

/** A browser: its own IP, a cookie jar, and `Origin` on state-changing requests. */
export class Browser {
  readonly cookies = new Map<string, string>();
  readonly ip = randomIp();

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (!headers.has("cookie") && this.cookies.size > 0) headers.set("cookie", this.cookieHeader());
    headers.set("cf-connecting-ip", this.ip);
    const method = init.method ?? "GET";
    if (method !== "GET" && !headers.has("origin")) headers.set("origin", ORIGIN);
    const response = await exports.default.fetch(new Request(`${ORIGIN}${path}`, { ...init, headers }));
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const [name, value = ""] = pair!.split("=");
      if (attributes.some((a) => /max-age=0\b/i.test(a.trim())) || value === "") this.cookies.delete(name!.trim());
      else this.cookies.set(name!.trim(), value);
    }
    return response;
  }

  send(method: string, path: string, body?: unknown): Promise<Response> {
    return this.fetch(path, { method, headers: { "content-type": "application/json" }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  }

  async json<T>(path: string): Promise<T> {
    const response = await this.fetch(path);
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** Plays a battle's first turn; returns its id and events. */
  async battle(prompt: string, mode = "anonymous"): Promise<{ battleId: string; events: BattleStreamEvent[] }> {
    const response = await this.send("POST", "/api/v1/battles", { mode, prompt });
    const raw = await response.text();
    if (response.status !== 200) throw new Error(`battle: ${response.status} ${raw}`);
    const events = parseEvents(raw);
    return { battleId: (events[0] as { battleId: string }).battleId, events };
  }

  vote(battleId: string, winner = "a"): Promise<Response> {
    return this.send("POST", `/api/v1/battles/${battleId}/vote`, { winner });
  }
}

/** A software passkey for `arena.test`. */
export class VirtualPasskey {
  counter = 0;
  userHandle = "";
  private constructor(
    readonly id: Uint8Array,
    private readonly keys: CryptoKeyPair,
  ) {}

  static async create(): Promise<VirtualPasskey> {
    const keys = (await crypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
    return new VirtualPasskey(crypto.getRandomValues(new Uint8Array(16)), keys);
  }

  get credentialId(): string {
    return b64url(this.id);
  }

  private async authData(flags: number, attested?: Uint8Array): Promise<Uint8Array> {
    const count = Uint8Array.of(this.counter >>> 24, (this.counter >> 16) & 255, (this.counter >> 8) & 255, this.counter & 255);
    return concat(await sha256(new TextEncoder().encode("arena.test")), Uint8Array.of(flags), count, ...(attested ? [attested] : []));
  }

  /** The registration response for `options` (what navigator.credentials.create resolves to). */
  async attest(options: { challenge: string; user: { id: string } }, origin = ORIGIN): Promise<Record<string, unknown>> {
    this.userHandle = options.user.id;
    const jwk = await crypto.subtle.exportKey("jwk", this.keys.publicKey);
    const cose = cbor(new Map<Cbor, Cbor>([[1, 2], [3, -7], [-1, 1], [-2, fromB64url(jwk.x!)], [-3, fromB64url(jwk.y!)]]));
    const attested = concat(new Uint8Array(16), Uint8Array.of(0, this.id.length), this.id, cose);
    const authData = await this.authData(0x45, attested);
    const attestationObject = cbor(new Map<Cbor, Cbor>([["fmt", "none"], ["attStmt", new Map()], ["authData", authData]]));
    const clientData = JSON.stringify({ type: "webauthn.create", challenge: options.challenge, origin, crossOrigin: false });
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key",
      response: { clientDataJSON: b64url(new TextEncoder().encode(clientData)), attestationObject: b64url(attestationObject), transports: ["internal"] },
      clientExtensionResults: {},
      authenticatorAttachment: "platform",
    };
  }

  /** The authentication response for `options` (navigator.credentials.get); the counter goes up each time. */
  async assert(options: { challenge: string }, origin = ORIGIN): Promise<Record<string, unknown>> {
    this.counter++;
    const authenticatorData = await this.authData(0x05);
    const clientData = new TextEncoder().encode(JSON.stringify({ type: "webauthn.get", challenge: options.challenge, origin, crossOrigin: false }));
    const signed = concat(authenticatorData, await sha256(clientData));
    const raw = new Uint8Array(await crypto.subtle.sign({ name: "ECDSA", hash: "SHA-256" }, this.keys.privateKey, signed));
    return {
      id: this.credentialId,
      rawId: this.credentialId,
      type: "public-key",
      response: { clientDataJSON: b64url(clientData), authenticatorData: b64url(authenticatorData), signature: b64url(derSignature(raw)), userHandle: this.userHandle },
      clientExtensionResults: {},
    };
  }
}

/** Creates an account with a new passkey in `browser`; returns the passkey and the answer. */
export async function signUp(browser: Browser, passkey?: VirtualPasskey): Promise<{ passkey: VirtualPasskey; body: SignedInResponse }> {
  const key = passkey ?? (await VirtualPasskey.create());
  const { options } = (await (await browser.send("POST", "/api/v1/auth/passkeys/options", {})).json()) as { options: { challenge: string; user: { id: string } } };
  const response = await browser.send("POST", "/api/v1/auth/passkeys", { response: await key.attest(options), name: "Test key" });
  if (response.status !== 201) throw new Error(`sign-up: ${response.status} ${await response.text()}`);
  return { passkey: key, body: (await response.json()) as SignedInResponse };
}

/** Signs `browser` in with `passkey`; returns the raw response. */
export async function signIn(browser: Browser, passkey: VirtualPasskey): Promise<Response> {
  const { options } = (await (await browser.send("POST", "/api/v1/auth/signin/options", {})).json()) as { options: { challenge: string } };
  return browser.send("POST", "/api/v1/auth/signin", { response: await passkey.assert(options) });
}
