/**
 * The producer side of webhook delivery: one `webhook_deliveries` row per
 * subscribed webhook, then one queue message per row. D1 is the record and
 * the queue only carries `{deliveryId}`, so a message can be sent again at
 * any time without changing what the receiver gets (the stored body, the
 * same `webhook-id`).
 *
 * A row is inserted before its message is sent and marked `AWAITING_QUEUE`
 * until the queue has accepted the message. If the send fails — or the
 * Worker dies in between — the mark stays, and `resendStalledDeliveries`
 * (called by the cron) sends it again: an event is never silently lost, and
 * a message the queue already holds is not sent twice.
 */
import type { WebhookEnvelope } from "../../src/webhooks/events";

/** The body of a message on the webhooks queue. */
export interface WebhookMessage {
  deliveryId: string;
  /** A replay a lab asked for: its first attempt is recorded as manual. */
  manual?: boolean;
  /**
   * On the dead-letter queue: set when the consumer marked the delivery dead
   * itself before sending it there, so the dead-letter consumer must not
   * touch the row again (a replay may have reopened it since).
   */
  markedDead?: boolean;
}

/** `last_error` of a delivery whose message the queue has not accepted yet. */
export const AWAITING_QUEUE = "waiting to be queued";

/** A delivery still awaiting the queue this long after its creation is sent again. */
export const STALLED_AFTER_MS = 2 * 60_000;

/** Under both Queues' 100 messages per sendBatch and D1's 100 bound parameters per query. */
const SEND_BATCH_MAX = 50;

/** Standard Webhooks' recommended id shape: `msg_` and a random part. */
const newDeliveryId = () => `msg_${crypto.randomUUID().replaceAll("-", "")}`;

/**
 * Sends one message per delivery id and clears their `AWAITING_QUEUE` mark.
 * Returns false (and logs) when the queue refused: the marks stay for the sweep.
 */
async function sendToQueue(env: Env, ids: string[]): Promise<boolean> {
  try {
    for (let i = 0; i < ids.length; i += SEND_BATCH_MAX) {
      const chunk = ids.slice(i, i + SEND_BATCH_MAX);
      await env.WEBHOOKS.sendBatch(chunk.map((deliveryId) => ({ body: { deliveryId } satisfies WebhookMessage, contentType: "json" as const })));
      await env.DB.prepare(`UPDATE webhook_deliveries SET last_error = NULL WHERE attempts = 0 AND last_error = ? AND id IN (${chunk.map(() => "?").join(",")})`)
        .bind(AWAITING_QUEUE, ...chunk)
        .run();
    }
    return true;
  } catch (error) {
    console.warn(JSON.stringify({ webhooks: "queue send failed; the cron's sweep will send these again", deliveries: ids.length, error: String(error) }));
    return false;
  }
}

/**
 * Records `event` for every live webhook of `labId` subscribed to its type
 * and queues the deliveries. Returns their ids (none when nobody listens).
 * A queue outage does not throw: the rows are stored and the sweep sends
 * them later; only a D1 failure throws, and then nothing was recorded.
 *
 * @example await enqueueWebhookEvent(env, labId, envelope("model.retired", data, new Date()));
 */
export async function enqueueWebhookEvent(env: Env, labId: string, event: WebhookEnvelope, now = Date.now()): Promise<string[]> {
  const { results } = await env.DB.prepare("SELECT id, events FROM webhooks WHERE lab_id = ? AND deleted_at IS NULL").bind(labId).all<{ id: string; events: string }>();
  const subscribed = results.filter((hook) => (JSON.parse(hook.events) as string[]).includes(event.type));
  if (subscribed.length === 0) return [];
  const payload = JSON.stringify(event);
  const deliveries = subscribed.map((hook) => ({ id: newDeliveryId(), webhookId: hook.id }));
  await env.DB.batch(
    deliveries.map((d) =>
      env.DB.prepare(
        "INSERT INTO webhook_deliveries (id, webhook_id, lab_id, event_type, payload, status, attempts, last_error, created_at) VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)",
      ).bind(d.id, d.webhookId, labId, event.type, payload, AWAITING_QUEUE, now),
    ),
  );
  const ids = deliveries.map((d) => d.id);
  await sendToQueue(env, ids);
  return ids;
}

/**
 * Sends again every delivery still awaiting the queue `STALLED_AFTER_MS`
 * after it was created (a failed send, or a Worker that died before
 * sending). Returns how many were sent. Meant for the cron.
 *
 * @example ctx.waitUntil(resendStalledDeliveries(env, controller.scheduledTime));
 */
export async function resendStalledDeliveries(env: Env, now = Date.now()): Promise<number> {
  const { results } = await env.DB.prepare(
    "SELECT id FROM webhook_deliveries WHERE status = 'pending' AND attempts = 0 AND last_error = ? AND created_at <= ? ORDER BY created_at LIMIT 1000",
  )
    .bind(AWAITING_QUEUE, now - STALLED_AFTER_MS)
    .all<{ id: string }>();
  const ids = results.map((r) => r.id);
  if (ids.length === 0) return 0;
  return (await sendToQueue(env, ids)) ? ids.length : 0;
}
