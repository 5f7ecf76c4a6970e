/**
 * What a lab may see and do with its webhook deliveries: the list, newest
 * first with every attempt, and a replay by hand. Another lab's webhook or
 * delivery, a deleted webhook and an unknown id are the same not_found, so a
 * lab learns nothing about ids it does not own.
 */
import type { Result } from "../../src/errors";
import type { WebhookMessage } from "./enqueue";

export interface AttemptView {
  attempt: number;
  at: string;
  httpStatus: number | null;
  latencyMs: number;
  error: string | null;
  manual: boolean;
}

export interface DeliveryView {
  /** The `webhook-id` header of every attempt. */
  id: string;
  eventType: string;
  status: "pending" | "delivered" | "dead";
  attempts: number;
  createdAt: string;
  deliveredAt: string | null;
  lastError: string | null;
  history: AttemptView[];
}

export interface DeliveryPage {
  deliveries: DeliveryView[];
  /** Pass as `cursor` for the next (older) page; null on the last one. */
  nextCursor: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const NO_WEBHOOK = { ok: false as const, error: { code: "not_found" as const, message: "no such webhook" } };
const NO_DELIVERY = { ok: false as const, error: { code: "not_found" as const, message: "no such delivery" } };

/** A page position: the last delivery's creation time and id (ties broken by id). */
export const CURSOR_PATTERN = /^(\d{1,16})_([A-Za-z0-9_]{1,64})$/;
const cursorOf = (d: { created_at: number; id: string }) => `${d.created_at}_${d.id}`;

async function ownsLiveWebhook(env: Env, labId: string, webhookId: string): Promise<boolean> {
  return (await env.DB.prepare("SELECT 1 AS yes FROM webhooks WHERE id = ? AND lab_id = ? AND deleted_at IS NULL").bind(webhookId, labId).first()) !== null;
}

/**
 * One page of a webhook's deliveries, newest first.
 *
 * @example await listDeliveries(env, labId, hookId, { limit: 20, cursor: page.nextCursor })
 */
export async function listDeliveries(env: Env, labId: string, webhookId: string, page: { limit: number; cursor?: string }): Promise<Result<DeliveryPage>> {
  if (!(await ownsLiveWebhook(env, labId, webhookId))) return NO_WEBHOOK;
  const at = page.cursor ? CURSOR_PATTERN.exec(page.cursor) : null;
  const before = at ? [Number(at[1]), Number(at[1]), at[2]!] : [Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, ""];
  const { results } = await env.DB.prepare(
    `SELECT id, event_type, status, attempts, created_at, delivered_at, last_error FROM webhook_deliveries
     WHERE webhook_id = ? AND (created_at < ? OR (created_at = ? AND id < ?)) ORDER BY created_at DESC, id DESC LIMIT ?`,
  )
    .bind(webhookId, ...before, page.limit + 1)
    .all<{ id: string; event_type: string; status: DeliveryView["status"]; attempts: number; created_at: number; delivered_at: number | null; last_error: string | null }>();
  const rows = results.slice(0, page.limit);
  // One bound parameter for the whole page (D1 allows 100 per query).
  const attempts = await env.DB.prepare(
    "SELECT delivery_id, attempt, at, http_status, latency_ms, error, manual FROM webhook_attempts WHERE delivery_id IN (SELECT value FROM json_each(?)) ORDER BY attempt",
  )
    .bind(JSON.stringify(rows.map((r) => r.id)))
    .all<{ delivery_id: string; attempt: number; at: number; http_status: number | null; latency_ms: number; error: string | null; manual: number }>();
  const history = new Map<string, AttemptView[]>();
  for (const a of attempts.results) {
    const list = history.get(a.delivery_id) ?? [];
    list.push({ attempt: a.attempt, at: iso(a.at)!, httpStatus: a.http_status, latencyMs: a.latency_ms, error: a.error, manual: a.manual === 1 });
    history.set(a.delivery_id, list);
  }
  return {
    ok: true,
    value: {
      deliveries: rows.map((r) => ({
        id: r.id,
        eventType: r.event_type,
        status: r.status,
        attempts: r.attempts,
        createdAt: iso(r.created_at)!,
        deliveredAt: iso(r.delivered_at),
        lastError: r.last_error,
        history: history.get(r.id) ?? [],
      })),
      nextCursor: results.length > page.limit ? cursorOf(rows[rows.length - 1]!) : null,
    },
  };
}

/**
 * Sends a delivered or dead delivery again: the same stored body under the
 * same id, attempts continuing their count, the first one recorded as
 * manual, and a fresh retry schedule. A delivery still pending is already
 * being attempted: conflict.
 */
export async function replayDelivery(env: Env, labId: string, webhookId: string, deliveryId: string): Promise<Result<{ id: string; status: "pending" }>> {
  if (!(await ownsLiveWebhook(env, labId, webhookId))) return NO_WEBHOOK;
  const row = await env.DB.prepare("SELECT status FROM webhook_deliveries WHERE id = ? AND webhook_id = ?").bind(deliveryId, webhookId).first<{ status: DeliveryView["status"] }>();
  if (!row) return NO_DELIVERY;
  const busy = { ok: false as const, error: { code: "conflict" as const, message: "this delivery is still being attempted; replay it once it is delivered or dead" } };
  if (row.status === "pending") return busy;
  // Compare-and-set, so two replays at once queue one message.
  const reopened = await env.DB.prepare("UPDATE webhook_deliveries SET status = 'pending' WHERE id = ? AND status = ?").bind(deliveryId, row.status).run();
  if (reopened.meta.changes === 0) return busy;
  try {
    await env.WEBHOOKS.send({ deliveryId, manual: true } satisfies WebhookMessage, { contentType: "json" });
  } catch (error) {
    await env.DB.prepare("UPDATE webhook_deliveries SET status = ? WHERE id = ? AND status = 'pending'").bind(row.status, deliveryId).run();
    console.warn(JSON.stringify({ webhooks: "replay not queued", deliveryId, error: String(error) }));
    return { ok: false, error: { code: "unavailable", message: "the delivery queue is unavailable; try the replay again later" } };
  }
  return { ok: true, value: { id: deliveryId, status: "pending" } };
}
