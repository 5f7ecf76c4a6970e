/**
 * Lab verbs the admin and lab routes call: onboarding a lab and managing its
 * keys (admin), and a lab's webhook endpoints. Each verb takes the env and
 * its input and returns a Result or throws an ArenaError; routes only map.
 */
import { SealingError, deriveMasterKey, newLabApiKey, newWebhookSecret, sealSecret } from "../../src/labs/credentials";
import { ArenaError, type Result } from "../../src/errors";
import { checkOutboundUrl } from "../../src/net/outbound-url";
import type { WebhookEventType } from "../../src/webhooks/events";
import { configOf } from "../config";

export interface LabView {
  id: string;
  name: string;
  createdAt: string;
  keys: Array<{ id: string; prefix: string; createdAt: string; revokedAt: string | null }>;
  /** Models the lab registered. */
  models: number;
}

export interface WebhookView {
  id: string;
  url: string;
  events: WebhookEventType[];
  createdAt: string;
  /** While a rotation's overlap lasts, deliveries are signed with the previous secret too. */
  previousSecretExpiresAt: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

async function issueKey(env: Env, labId: string): Promise<{ keyId: string; apiKey: string; prefix: string }> {
  const { key, prefix, hash } = await newLabApiKey();
  const keyId = crypto.randomUUID();
  await env.DB.prepare("INSERT INTO lab_api_keys (id, lab_id, prefix, hash) VALUES (?, ?, ?, ?)").bind(keyId, labId, prefix, hash).run();
  return { keyId, apiKey: key, prefix };
}

/** Creates a lab and its first key; the key is in this answer only. */
export async function createLab(env: Env, name: string): Promise<Result<{ lab: { id: string; name: string }; apiKey: string; keyId: string }>> {
  const id = crypto.randomUUID();
  const inserted = await env.DB.prepare("INSERT INTO labs (id, name) VALUES (?, ?) ON CONFLICT (name) DO NOTHING").bind(id, name).run();
  if (inserted.meta.changes === 0) return { ok: false, error: { code: "conflict", message: `a lab named "${name}" already exists` } };
  const { keyId, apiKey } = await issueKey(env, id);
  return { ok: true, value: { lab: { id, name }, apiKey, keyId } };
}

export async function listLabs(env: Env): Promise<LabView[]> {
  const [labs, keys, models] = await Promise.all([
    env.DB.prepare("SELECT id, name, created_at FROM labs ORDER BY created_at, id").all<{ id: string; name: string; created_at: number }>(),
    env.DB.prepare("SELECT id, lab_id, prefix, created_at, revoked_at FROM lab_api_keys ORDER BY created_at, id").all<{ id: string; lab_id: string; prefix: string; created_at: number; revoked_at: number | null }>(),
    env.DB.prepare("SELECT owner_id, count(*) AS n FROM models WHERE owner_id IS NOT NULL GROUP BY owner_id").all<{ owner_id: string; n: number }>(),
  ]);
  const modelCount = new Map(models.results.map((m) => [m.owner_id, m.n]));
  return labs.results.map((lab) => ({
    id: lab.id,
    name: lab.name,
    createdAt: iso(lab.created_at)!,
    keys: keys.results.filter((k) => k.lab_id === lab.id).map((k) => ({ id: k.id, prefix: k.prefix, createdAt: iso(k.created_at)!, revokedAt: iso(k.revoked_at) })),
    models: modelCount.get(lab.id) ?? 0,
  }));
}

/** A new key for the lab (rotation: revoke the old one once the lab has switched). */
export async function addLabKey(env: Env, labId: string): Promise<Result<{ keyId: string; apiKey: string; prefix: string }>> {
  const lab = await env.DB.prepare("SELECT id FROM labs WHERE id = ?").bind(labId).first();
  if (!lab) return { ok: false, error: { code: "not_found", message: "no such lab" } };
  return { ok: true, value: await issueKey(env, labId) };
}

export async function revokeLabKey(env: Env, labId: string, keyId: string, now = Date.now()): Promise<Result<{ keyId: string; revokedAt: string }>> {
  const row = await env.DB.prepare("SELECT revoked_at FROM lab_api_keys WHERE id = ? AND lab_id = ?").bind(keyId, labId).first<{ revoked_at: number | null }>();
  if (!row) return { ok: false, error: { code: "not_found", message: "no such key for this lab" } };
  if (row.revoked_at === null) await env.DB.prepare("UPDATE lab_api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL").bind(now, keyId).run();
  return { ok: true, value: { keyId, revokedAt: iso(row.revoked_at ?? now)! } };
}

/** The sealing key; a missing or short `LAB_SECRETS_KEY` is the operator's to fix, answered 503. */
export async function masterKey(env: Env): Promise<CryptoKey> {
  try {
    return await deriveMasterKey(env.LAB_SECRETS_KEY ?? "");
  } catch (error) {
    if (error instanceof SealingError) throw new ArenaError("unavailable", "lab secrets are not configured on this arena (LAB_SECRETS_KEY, at least 32 characters)");
    throw error;
  }
}

/** Registers a receiver: the URL passes the SSRF guard, the secret is shown once and stored sealed. */
export async function createWebhook(env: Env, labId: string, input: { url: string; events: WebhookEventType[] }): Promise<Result<{ id: string; secret: string }>> {
  const checked = checkOutboundUrl(input.url, configOf(env).outbound.policy);
  if (!checked.ok) return { ok: false, error: { code: "outbound_url_refused", message: `webhook url refused: ${checked.reason}` } };
  const id = crypto.randomUUID();
  const secret = newWebhookSecret();
  const sealed = await sealSecret(await masterKey(env), secret, id);
  await env.DB.prepare("INSERT INTO webhooks (id, lab_id, url, events, secret_sealed) VALUES (?, ?, ?, ?, ?)")
    .bind(id, labId, checked.url.href, JSON.stringify([...new Set(input.events)]), sealed)
    .run();
  return { ok: true, value: { id, secret } };
}

export async function listWebhooks(env: Env, labId: string, now = Date.now()): Promise<WebhookView[]> {
  const { results } = await env.DB.prepare("SELECT id, url, events, created_at, previous_expires_at FROM webhooks WHERE lab_id = ? AND deleted_at IS NULL ORDER BY created_at, id")
    .bind(labId)
    .all<{ id: string; url: string; events: string; created_at: number; previous_expires_at: number | null }>();
  return results.map((w) => ({
    id: w.id,
    url: w.url,
    events: JSON.parse(w.events) as WebhookEventType[],
    createdAt: iso(w.created_at)!,
    previousSecretExpiresAt: w.previous_expires_at !== null && w.previous_expires_at > now ? iso(w.previous_expires_at) : null,
  }));
}

/** Another lab's webhook, a deleted one and an unknown id are the same 404. */
async function ownWebhook(env: Env, labId: string, id: string): Promise<{ secret_sealed: string } | null> {
  return env.DB.prepare("SELECT secret_sealed FROM webhooks WHERE id = ? AND lab_id = ? AND deleted_at IS NULL").bind(id, labId).first<{ secret_sealed: string }>();
}

const NO_WEBHOOK = { ok: false as const, error: { code: "not_found" as const, message: "no such webhook" } };

export async function deleteWebhook(env: Env, labId: string, id: string, now = Date.now()): Promise<Result<{ id: string }>> {
  if (!(await ownWebhook(env, labId, id))) return NO_WEBHOOK;
  await env.DB.prepare("UPDATE webhooks SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL").bind(now, id).run();
  return { ok: true, value: { id } };
}

/**
 * A new signing secret; the previous one stays live for the overlap window
 * (`WEBHOOK_SECRET_OVERLAP_HOURS`), during which deliveries carry both signatures.
 */
export async function rotateWebhookSecret(env: Env, labId: string, id: string, now = Date.now()): Promise<Result<{ id: string; secret: string; previousSecretExpiresAt: string }>> {
  const hook = await ownWebhook(env, labId, id);
  if (!hook) return NO_WEBHOOK;
  const secret = newWebhookSecret();
  const sealed = await sealSecret(await masterKey(env), secret, id);
  const expires = now + configOf(env).webhooks.secretOverlapHours * 3_600_000;
  await env.DB.prepare("UPDATE webhooks SET previous_secret_sealed = secret_sealed, previous_expires_at = ?, secret_sealed = ? WHERE id = ?").bind(expires, sealed, id).run();
  return { ok: true, value: { id, secret, previousSecretExpiresAt: iso(expires)! } };
}

