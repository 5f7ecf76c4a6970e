/**
 * Lab credentials, with Web Crypto only (the same in workerd and Node):
 *
 * - **API keys** `ealab_<id>_<secret>`: the id (8 hex characters) is a
 *   recognisable, non-secret prefix stored and listed with the key; the
 *   secret is 32 random bytes. Only the SHA-256 of the whole key is stored:
 *   a key carries 256 bits of entropy, so a fast hash is enough (a slow
 *   password hash protects low-entropy secrets, which these are not).
 * - **Webhook secrets** in the Standard Webhooks format `whsec_<base64>`.
 * - **Sealed secrets**: a lab's endpoint key is stored encrypted with
 *   AES-256-GCM under a key derived (HKDF-SHA-256) from the `LAB_SECRETS_KEY`
 *   Workers secret, bound to a context (e.g. the model id) as additional
 *   data, so a sealed value copied to another row does not open.
 */

/** Thrown when a sealed secret cannot be opened or the master secret is unusable. */
export class SealingError extends Error {
  override readonly name = "SealingError";
}

const KEY_PATTERN = /^(ealab_[0-9a-f]{8})_[A-Za-z0-9_-]{43}$/;
const SEALED_VERSION = "v1";
const encoder = new TextEncoder();

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new SealingError("sealed secret is not base64url");
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

const randomBytes = (n: number) => crypto.getRandomValues(new Uint8Array(n));

const hex = (bytes: ArrayBuffer | Uint8Array) => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

/** Lowercase hex SHA-256 of a key: what the database stores. */
export async function hashLabApiKey(key: string): Promise<string> {
  return hex(await crypto.subtle.digest("SHA-256", encoder.encode(key)));
}

/**
 * A new lab API key, its listed prefix and its stored hash. The key itself
 * is shown once and never stored.
 *
 * @example const { key, prefix, hash } = await newLabApiKey(); // key "ealab_3f9c01ab_…"
 */
export async function newLabApiKey(): Promise<{ key: string; prefix: string; hash: string }> {
  const prefix = `ealab_${hex(randomBytes(4))}`;
  const key = `${prefix}_${base64url(randomBytes(32))}`;
  return { key, prefix, hash: await hashLabApiKey(key) };
}

/** True for a string shaped exactly like a lab key: junk is refused before any lookup. */
export function isWellFormedLabApiKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

/** The listed prefix of a well-formed key, else null. */
export function labApiKeyPrefix(key: string): string | null {
  return KEY_PATTERN.exec(key)?.[1] ?? null;
}

/** A new Standard Webhooks signing secret, `whsec_` + base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  let binary = "";
  for (const byte of randomBytes(32)) binary += String.fromCharCode(byte);
  return `whsec_${btoa(binary)}`;
}

/** The AES-256-GCM key sealing lab secrets, derived from the `LAB_SECRETS_KEY` secret (≥ 32 characters). */
export async function deriveMasterKey(secret: string): Promise<CryptoKey> {
  if (secret.length < 32) throw new SealingError("LAB_SECRETS_KEY must be at least 32 characters");
  const material = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: encoder.encode("edge-arena lab secrets"), info: encoder.encode("aes-256-gcm v1") },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

/**
 * Encrypts `plaintext` bound to `context`: `v1.<iv>.<ciphertext>` (base64url).
 *
 * @example const sealed = await sealSecret(master, "sk-lab-…", modelId);
 */
export async function sealSecret(master: CryptoKey, plaintext: string, context: string): Promise<string> {
  const iv = randomBytes(12);
  const ciphertext = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(context) }, master, encoder.encode(plaintext));
  return `${SEALED_VERSION}.${base64url(iv)}.${base64url(new Uint8Array(ciphertext))}`;
}

/** Decrypts a sealed secret; throws SealingError on a wrong key or context, tampering, or a bad format. */
export async function openSecret(master: CryptoKey, sealed: string, context: string): Promise<string> {
  const [version, iv, ciphertext, ...rest] = sealed.split(".");
  if (version !== SEALED_VERSION || !iv || !ciphertext || rest.length > 0) throw new SealingError("not a sealed secret");
  try {
    const plaintext = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromBase64url(iv), additionalData: encoder.encode(context) },
      master,
      fromBase64url(ciphertext),
    );
    return new TextDecoder().decode(plaintext);
  } catch (error) {
    if (error instanceof SealingError) throw error;
    throw new SealingError("sealed secret does not open with this key and context");
  }
}
