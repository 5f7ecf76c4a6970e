/**
 * The webhooks queue consumer driven by hand (createMessageBatch +
 * getQueueResult), so each message's ack or retry delay is asserted: the
 * backoff of the policy, the dead-letter queue after the last attempt, no
 * request for what is no longer owed, and every failure of the receiver
 * recorded as an attempt, never a crash.
 */
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it, vi } from "vitest";
import worker from "../../worker/index";
import { DEAD_LETTERED, WEBHOOK_DELETED, handleWebhookBatch } from "../../worker/webhooks/consumer";
import type { WebhookMessage } from "../../worker/webhooks/enqueue";
import { call, deliveryRow, newHook, newLab, pendingDelivery, received, receiverName, verifyWith } from "./webhook-helpers";

let lab: { id: string; apiKey: string };
beforeEach(async () => {
  lab = await newLab("Consumer Lab");
});

/** Runs the consumer on one message; returns the queue's verdict for it. */
async function consume(deliveryId: string, attempts: number, options: { env?: Env; random?: () => number; manual?: boolean } = {}) {
  const body: WebhookMessage = { deliveryId, ...(options.manual ? { manual: true } : {}) };
  const batch = createMessageBatch<WebhookMessage>("edge-arena-webhooks", [{ id: `m-${attempts}-${deliveryId}`, timestamp: new Date(), attempts, body }]);
  // getQueueResult reports that a message was retried but not its delay: read it off the call.
  const retry = vi.spyOn(batch.messages[0]!, "retry");
  const ctx = createExecutionContext();
  await handleWebhookBatch(batch, options.env ?? env, options.random ?? Math.random);
  const result = await getQueueResult(batch, ctx);
  expect(result.retryMessages.length + result.explicitAcks.length).toBe(1);
  return { acked: result.explicitAcks.length === 1, retryDelay: result.retryMessages.length ? (retry.mock.calls[0]?.[0]?.delaySeconds ?? null) : null };
}

/** The env with a wider retry policy and a dead-letter queue the test can read. */
function policyEnv(vars: Record<string, string>) {
  const deadLetters: unknown[] = [];
  const patched = { ...env, ...vars, WEBHOOKS_DEAD: { send: async (body: unknown) => void deadLetters.push(body) } } as unknown as Env;
  return { env: patched, deadLetters };
}

describe("retries follow the policy", () => {
  it("the delay's bound doubles from the base up to the cap, then the delivery is dead and dead-lettered", async () => {
    const hook = await newHook(lab, receiverName("always-down"), "?fail=always");
    const id = await pendingDelivery(hook, lab.id);
    const { env: wide, deadLetters } = policyEnv({ WEBHOOK_RETRY_BASE_SECONDS: "30", WEBHOOK_RETRY_CAP_SECONDS: "600", WEBHOOK_MAX_ATTEMPTS: "8" });
    const highest = () => 0.999999;
    const delays: Array<number | null> = [];
    for (let attempt = 1; attempt <= 7; attempt++) {
      const verdict = await consume(id, attempt, { env: wide, random: highest });
      expect(verdict.acked).toBe(false);
      delays.push(verdict.retryDelay);
    }
    expect(delays).toEqual([30, 60, 120, 240, 480, 600, 600]);
    expect(await deliveryRow(id)).toMatchObject({ status: "pending", attempts: 7 });
    expect(deadLetters).toEqual([]);

    expect(await consume(id, 8, { env: wide, random: highest })).toEqual({ acked: true, retryDelay: null });
    expect(await deliveryRow(id)).toMatchObject({ status: "dead", attempts: 8 });
    expect(deadLetters).toEqual([{ deliveryId: id, markedDead: true }]);
    expect(await received(hook.name)).toHaveLength(8);
  });

  it("jitter draws below the bound, never under one second", async () => {
    const hook = await newHook(lab, receiverName("down-jitter"), "?fail=always");
    const id = await pendingDelivery(hook, lab.id);
    const { env: wide } = policyEnv({ WEBHOOK_RETRY_BASE_SECONDS: "30", WEBHOOK_RETRY_CAP_SECONDS: "600", WEBHOOK_MAX_ATTEMPTS: "8" });
    expect((await consume(id, 1, { env: wide, random: () => 0 })).retryDelay).toBe(1);
    expect((await consume(id, 3, { env: wide, random: () => 0.5 })).retryDelay).toBe(60);
  });
});

describe("what is no longer owed is not sent", () => {
  it("a redelivered message of a delivered delivery is acknowledged without a request", async () => {
    const hook = await newHook(lab, receiverName("once"));
    const id = await pendingDelivery(hook, lab.id);
    expect(await consume(id, 1)).toEqual({ acked: true, retryDelay: null });
    expect(await deliveryRow(id)).toMatchObject({ status: "delivered", attempts: 1 });
    // At-least-once: the same message again, and a stale copy.
    expect(await consume(id, 1)).toEqual({ acked: true, retryDelay: null });
    expect(await consume(id, 2)).toEqual({ acked: true, retryDelay: null });
    expect(await received(hook.name)).toHaveLength(1);
    expect(await deliveryRow(id)).toMatchObject({ attempts: 1 });
  });

  it("two copies of one message handled at once make one request", async () => {
    const hook = await newHook(lab, receiverName("twice"), "?slow=200");
    const id = await pendingDelivery(hook, lab.id);
    const copy = { timestamp: new Date(), attempts: 1, body: { deliveryId: id } };
    const batch = createMessageBatch<WebhookMessage>("edge-arena-webhooks", [{ id: "copy-1", ...copy }, { id: "copy-2", ...copy }]);
    const ctx = createExecutionContext();
    await handleWebhookBatch(batch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks.sort()).toEqual(["copy-1", "copy-2"]);
    expect(await received(hook.name)).toHaveLength(1);
    expect(await deliveryRow(id)).toMatchObject({ status: "delivered", attempts: 1 });
  });

  it("a deleted webhook's pending delivery ends dead with a clear reason, and nothing is sent", async () => {
    const hook = await newHook(lab, receiverName("deleted"));
    const id = await pendingDelivery(hook, lab.id);
    expect((await call("DELETE", `/api/v1/lab/webhooks/${hook.id}`, lab.apiKey)).status).toBe(200);
    expect(await consume(id, 1)).toEqual({ acked: true, retryDelay: null });
    expect(await deliveryRow(id)).toMatchObject({ status: "dead", attempts: 0, last_error: WEBHOOK_DELETED });
    expect(await received(hook.name)).toHaveLength(0);
  });
});

describe("every failure of the receiver is an attempt, never a crash", () => {
  async function attempts(id: string) {
    return (await env.DB.prepare("SELECT attempt, http_status, latency_ms, error, manual FROM webhook_attempts WHERE delivery_id = ? ORDER BY attempt").bind(id).all<Record<string, unknown>>()).results;
  }

  it("a receiver slower than the timeout", async () => {
    const hook = await newHook(lab, receiverName("slow"), "?slow=2500");
    const id = await pendingDelivery(hook, lab.id);
    const started = Date.now();
    expect((await consume(id, 1)).retryDelay).toBe(1);
    expect(Date.now() - started).toBeLessThan(2_300);
    const [first] = await attempts(id);
    expect(first).toMatchObject({ attempt: 1, http_status: null, error: expect.stringMatching(/^outbound_timeout/) });
    expect(first!.latency_ms as number).toBeGreaterThanOrEqual(900);
  });

  it("a URL the SSRF guard refuses at send time is never requested", async () => {
    const hook = await newHook(lab, receiverName("moved"));
    await env.DB.prepare("UPDATE webhooks SET url = 'http://169.254.169.254/latest/meta-data/' WHERE id = ?").bind(hook.id).run();
    const id = await pendingDelivery(hook, lab.id);
    expect((await consume(id, 1)).retryDelay).toBe(1);
    expect(await attempts(id)).toEqual([expect.objectContaining({ http_status: null, error: expect.stringMatching(/^outbound_url_refused/) })]);
  });

  it("a redirect is a failed attempt and is not followed", async () => {
    const hook = await newHook(lab, receiverName("redirect"));
    await env.DB.prepare("UPDATE webhooks SET url = ? WHERE id = ?").bind(`${env.FAKE_PROVIDER_URL}/outbound/redirect`, hook.id).run();
    const id = await pendingDelivery(hook, lab.id);
    expect((await consume(id, 1)).retryDelay).toBe(1);
    expect(await attempts(id)).toEqual([expect.objectContaining({ error: expect.stringMatching(/^outbound_redirect/) })]);
  });

  it("the first attempt of a replay message is recorded as manual, its retries are not", async () => {
    const hook = await newHook(lab, receiverName("manual"), "?fail=always");
    const id = await pendingDelivery(hook, lab.id);
    await consume(id, 1, { manual: true });
    await consume(id, 2, { manual: true });
    expect((await attempts(id)).map((a) => a.manual)).toEqual([1, 0]);
  });
});

describe("secret rotation", () => {
  it("during the overlap every delivery verifies with the old secret and with the new one", async () => {
    const hook = await newHook(lab, receiverName("rotated"));
    const rotated = (await (await call("POST", `/api/v1/lab/webhooks/${hook.id}/rotate-secret`, lab.apiKey)).json()) as { secret: string };
    const id = await pendingDelivery(hook, lab.id);
    await consume(id, 1);
    const [request] = await received(hook.name);
    expect(request!.headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(verifyWith(hook.secret, request!)).toBeTruthy();
    expect(verifyWith(rotated.secret, request!)).toBeTruthy();

    // After the overlap, only the new secret signs.
    await env.DB.prepare("UPDATE webhooks SET previous_expires_at = ? WHERE id = ?").bind(Date.now() - 1, hook.id).run();
    const later = await pendingDelivery(hook, lab.id);
    await consume(later, 1);
    const second = (await received(hook.name))[1]!;
    expect(verifyWith(rotated.secret, second)).toBeTruthy();
    expect(() => verifyWith(hook.secret, second)).toThrow();
  });
});

describe("the Worker's queue entry", () => {
  it("a message the platform dead-lettered marks its pending delivery dead; one the consumer already marked is left alone", async () => {
    const hook = await newHook(lab, receiverName("dlq"));
    const stuck = await pendingDelivery(hook, lab.id);
    const replayed = await pendingDelivery(hook, lab.id);
    const batch = createMessageBatch<WebhookMessage>("edge-arena-webhooks-dead", [
      { id: "d1", timestamp: new Date(), attempts: 1, body: { deliveryId: stuck } },
      { id: "d2", timestamp: new Date(), attempts: 1, body: { deliveryId: replayed, markedDead: true } },
      { id: "d3", timestamp: new Date(), attempts: 1, body: { nonsense: true } as unknown as WebhookMessage },
    ]);
    const ctx = createExecutionContext();
    await worker.queue(batch as MessageBatch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks.sort()).toEqual(["d1", "d2", "d3"]);
    expect(await deliveryRow(stuck)).toMatchObject({ status: "dead", last_error: DEAD_LETTERED });
    expect(await deliveryRow(replayed)).toMatchObject({ status: "pending" });
  });

  it("a malformed message on the webhooks queue is dropped, not retried forever", async () => {
    const batch = createMessageBatch("edge-arena-webhooks", [{ id: "junk", timestamp: new Date(), attempts: 1, body: "not a delivery" }]);
    const ctx = createExecutionContext();
    await worker.queue(batch as MessageBatch, env);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual(["junk"]);
  });
});
