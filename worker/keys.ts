/**
 * The arena's secret and HMAC-SHA-256 over it (Web Crypto), for values it
 * hands out and must later recognise as its own (session cookies) and for
 * keyed hashes of what it must not store in the clear (client IPs, prompts
 * for the duplicate cap): without the secret, a keyed hash cannot be
 * reversed by hashing guesses. Verification goes through
 * `crypto.subtle.verify`, which compares in constant time. Each use prefixes
 * its own purpose, so one value can never stand in for another.
 */
import { ArenaError } from "../src/errors";

/** The `SESSION_SECRET` secret; a 503 (and a log line for the operator) when it is missing or short. */
export function arenaSecret(env: Env): string {
  const secret = env.SESSION_SECRET;
  if (!secret || secret.length < 32) {
    console.error(JSON.stringify({ config: "SESSION_SECRET", error: "missing or shorter than 32 characters" }));
    throw new ArenaError("unavailable", "the arena is not configured yet; please try again later");
  }
  return secret;
}

const keys = new Map<string, Promise<CryptoKey>>();
const encoder = new TextEncoder();

/** The signing key for `secret`, imported once per isolate. */
export function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(secret, key);
  }
  return key;
}

function toBase64Url(bytes: ArrayBuffer): string {
  let binary = "";
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return null;
  const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=");
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

/** The base64url MAC of `message` (43 characters). */
export async function sign(key: CryptoKey, message: string): Promise<string> {
  return toBase64Url(await crypto.subtle.sign("HMAC", key, encoder.encode(message)));
}

/** Whether `mac` is the MAC of `message` under `key`. */
export async function verify(key: CryptoKey, message: string, mac: string): Promise<boolean> {
  const bytes = fromBase64Url(mac);
  return bytes !== null && crypto.subtle.verify("HMAC", key, bytes, encoder.encode(message));
}

/**
 * A keyed hash of `value` for `purpose`, 128 bits in base64url.
 *
 * @example await keyedHash(secret, "ip", "203.0.113.7") // "q0B…" (22 characters)
 */
export async function keyedHash(secret: string, purpose: string, value: string): Promise<string> {
  return (await sign(await hmacKey(secret), `${purpose}:${value}`)).slice(0, 22);
}
