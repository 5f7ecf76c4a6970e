/**
 * The consumer of the webhooks queue: one attempt per message. Queues
 * deliver at least once, so D1 decides what is still owed: a delivery that
 * is no longer pending is acknowledged without a request, and each attempt
 * first claims its number (`attempts = n` → `n + 1`, compare-and-set), so
 * two copies of one message running at once make one request, not two.
 *
 * Every attempt is stored (status, latency, error). A 2xx marks the
 * delivery delivered. Anything else — a non-2xx, a timeout, a URL the SSRF
 * guard refuses at send time, a redirect, a secret that does not open — is
 * a failed attempt: the message is retried after the backoff of
 * src/webhooks/retry-policy.ts (the message's own attempt count, so a replay
 * starts a fresh schedule), and after the policy's last attempt the
 * delivery is marked dead and sent to the dead-letter queue. Nothing a
 * receiver does makes the batch throw.
 */
import { z } from "zod";
import { ArenaError } from "../../src/errors";
import { SealingError, openSecret } from "../../src/labs/credentials";
import { nextAttemptDelay } from "../../src/webhooks/retry-policy";
import { configOf } from "../config";
import { masterKey } from "../labs/service";
import { outboundFetch } from "../net/outbound-fetch";
import type { WebhookMessage } from "./enqueue";
import { signedHeaders } from "./signing";

const messageSchema = z.object({ deliveryId: z.string().min(1).max(64), manual: z.boolean().optional(), markedDead: z.boolean().optional() }) satisfies z.ZodType<WebhookMessage>;

interface DeliveryRow {
  id: string;
  status: "pending" | "delivered" | "dead";
  attempts: number;
  payload: string;
  webhook_id: string;
  url: string;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_expires_at: number | null;
  deleted_at: number | null;
}

interface AttemptOutcome {
  ok: boolean;
  httpStatus: number | null;
  latencyMs: number;
  error: string | null;
}

/** `last_error` of a delivery whose webhook was deleted before it went out. */
export const WEBHOOK_DELETED = "the webhook was deleted; nothing more is sent";

/** `last_error` of a delivery the platform dead-lettered because our side kept failing on it. */
export const DEAD_LETTERED = "the queue gave up on this delivery: the arena kept failing to handle it";

/** The webhook's live secrets, newest first: the previous one too while the rotation overlap lasts. */
async function liveSecrets(env: Env, row: DeliveryRow, now: number): Promise<string[]> {
  // A missing LAB_SECRETS_KEY is an ArenaError ("unavailable"): recorded as a failed attempt and retried.
  const master = await masterKey(env);
  const secrets = [await openSecret(master, row.secret_sealed, row.webhook_id)];
  if (row.previous_secret_sealed && row.previous_expires_at !== null && row.previous_expires_at > now) {
    secrets.push(await openSecret(master, row.previous_secret_sealed, row.webhook_id));
  }
  return secrets;
}

/** One signed POST of the stored body; never throws for anything the receiver or the network does. */
async function attempt(env: Env, row: DeliveryRow): Promise<AttemptOutcome> {
  const config = configOf(env);
  const started = Date.now();
  try {
    // A fresh timestamp per attempt: receivers refuse old ones (replay protection), the id stays.
    const headers = signedHeaders({ id: row.id, timestamp: new Date(), payload: row.payload, secrets: await liveSecrets(env, row, started) });
    const { status, response, latencyMs } = await outboundFetch(
      row.url,
      { method: "POST", headers: { ...headers, "content-type": "application/json", "user-agent": "edge-arena-webhooks/1" }, body: row.payload },
      { policy: config.outbound.policy, timeoutMs: config.webhooks.timeoutMs },
    );
    // The receiver's body is of no use to us; do not hold the connection for it.
    await response.body?.cancel();
    const ok = status >= 200 && status < 300;
    return { ok, httpStatus: status, latencyMs, error: ok ? null : `the receiver answered ${status}` };
  } catch (error) {
    const latencyMs = Date.now() - started;
    if (error instanceof ArenaError) return { ok: false, httpStatus: null, latencyMs, error: `${error.code}: ${error.message}` };
    if (error instanceof SealingError) return { ok: false, httpStatus: null, latencyMs, error: "the signing secret could not be opened on the arena's side" };
    throw error;
  }
}

async function markDead(env: Env, id: string, lastError: string): Promise<void> {
  await env.DB.prepare("UPDATE webhook_deliveries SET status = 'dead', last_error = ? WHERE id = ? AND status = 'pending'").bind(lastError, id).run();
}

/** Handles one message; acks or retries it. Throws only for arena-side failures (D1). */
async function deliver(env: Env, msg: Message<unknown>, random: () => number): Promise<void> {
  const parsed = messageSchema.safeParse(msg.body);
  if (!parsed.success) {
    console.warn(JSON.stringify({ webhooks: "malformed queue message dropped", id: msg.id }));
    return msg.ack();
  }
  const { deliveryId, manual } = parsed.data;
  const row = await env.DB.prepare(
    `SELECT d.id, d.status, d.attempts, d.payload, d.webhook_id, w.url, w.secret_sealed, w.previous_secret_sealed, w.previous_expires_at, w.deleted_at
     FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id WHERE d.id = ?`,
  )
    .bind(deliveryId)
    .first<DeliveryRow>();
  // Delivered, dead or unknown: a redelivered or duplicate message owes nothing.
  if (!row || row.status !== "pending") return msg.ack();
  if (row.deleted_at !== null) {
    await markDead(env, row.id, WEBHOOK_DELETED);
    return msg.ack();
  }
  const number = row.attempts + 1;
  const claimed = await env.DB.prepare("UPDATE webhook_deliveries SET attempts = ? WHERE id = ? AND status = 'pending' AND attempts = ?").bind(number, row.id, row.attempts).run();
  // Another copy of this message is making this attempt right now.
  if (claimed.meta.changes === 0) return msg.ack();

  const outcome = await attempt(env, row);
  const at = Date.now();
  const record = env.DB.prepare("INSERT INTO webhook_attempts (delivery_id, attempt, at, http_status, latency_ms, error, manual) VALUES (?, ?, ?, ?, ?, ?, ?)").bind(
    row.id,
    number,
    at,
    outcome.httpStatus,
    outcome.latencyMs,
    outcome.error,
    manual === true && msg.attempts === 1 ? 1 : 0,
  );
  if (outcome.ok) {
    await env.DB.batch([record, env.DB.prepare("UPDATE webhook_deliveries SET status = 'delivered', delivered_at = ?, last_error = NULL WHERE id = ?").bind(at, row.id)]);
    return msg.ack();
  }
  const decision = nextAttemptDelay(msg.attempts, random, configOf(env).webhooks.retry);
  if (decision.action === "retry") {
    await env.DB.batch([record, env.DB.prepare("UPDATE webhook_deliveries SET last_error = ? WHERE id = ?").bind(outcome.error, row.id)]);
    return msg.retry({ delaySeconds: decision.delaySeconds });
  }
  await env.DB.batch([record, env.DB.prepare("UPDATE webhook_deliveries SET status = 'dead', last_error = ? WHERE id = ?").bind(`${outcome.error} (gave up after ${msg.attempts} attempts)`, row.id)]);
  await env.WEBHOOKS_DEAD.send({ deliveryId: row.id, markedDead: true } satisfies WebhookMessage, { contentType: "json" });
  msg.ack();
}

/**
 * The `queue` handler of `edge-arena-webhooks`. Messages are handled
 * concurrently (each bounded by WEBHOOK_TIMEOUT_MS). `random` draws the
 * backoff's jitter; tests pass a fixed one.
 *
 * @example async queue(batch, env) { await handleWebhookBatch(batch, env); }
 */
export async function handleWebhookBatch(batch: MessageBatch<unknown>, env: Env, random: () => number = Math.random): Promise<void> {
  await Promise.all(
    batch.messages.map(async (msg) => {
      try {
        await deliver(env, msg, random);
      } catch (error) {
        // D1 or the queue failed on our side: try the message again later, without counting it against the receiver.
        console.error(JSON.stringify({ webhooks: "delivery failed on the arena's side; retrying", id: msg.id, error: String(error) }));
        msg.retry({ delaySeconds: configOf(env).webhooks.retry.baseSeconds });
      }
    }),
  );
}

/**
 * The `queue` handler of the dead-letter queue. A delivery the consumer
 * gave up on arrives `markedDead`: already recorded, and possibly replayed
 * since, so it is only acknowledged. A message the platform dead-lettered
 * (our side kept failing on it, `max_retries` in wrangler.toml) arrives
 * while its delivery is still pending: it is marked dead so the lab sees it
 * and can replay it.
 */
export async function handleDeadLetters(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = messageSchema.safeParse(msg.body);
    if (parsed.success && !parsed.data.markedDead) {
      try {
        await markDead(env, parsed.data.deliveryId, DEAD_LETTERED);
      } catch (error) {
        console.error(JSON.stringify({ webhooks: "dead letter not recorded; retrying", id: msg.id, error: String(error) }));
        msg.retry();
        continue;
      }
    }
    msg.ack();
  }
}
