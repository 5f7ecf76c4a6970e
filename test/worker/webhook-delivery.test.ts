/**
 * Webhooks end to end through the real local queue: enqueueWebhookEvent →
 * edge-arena-webhooks → the Worker's queue handler → a real receiver on
 * loopback (test/fake-providers), which checks every signature with the
 * standardwebhooks library. The test config retries after 1 s and gives up
 * after 3 attempts (vitest.config.ts).
 */
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { envelope } from "../../src/webhooks/events";
import { AWAITING_QUEUE, enqueueWebhookEvent, resendStalledDeliveries, STALLED_AFTER_MS } from "../../worker/webhooks/enqueue";
import { call, deliveryRow, eventually, newHook, newLab, received, receiverName, verifyWith } from "./webhook-helpers";

const retired = (name: string) => envelope("model.retired", { modelId: "m-1", name, reason: "superseded", retiredAt: "2026-12-01T00:00:00.000Z" }, new Date());

interface DeliveryView {
  id: string;
  status: string;
  attempts: number;
  lastError: string | null;
  deliveredAt: string | null;
  history: Array<{ attempt: number; httpStatus: number | null; latencyMs: number; error: string | null; manual: boolean }>;
}

async function deliveries(lab: { apiKey: string }, hookId: string): Promise<DeliveryView[]> {
  const response = await call("GET", `/api/v1/lab/webhooks/${hookId}/deliveries`, lab.apiKey);
  expect(response.status).toBe(200);
  return ((await response.json()) as { deliveries: DeliveryView[] }).deliveries;
}

const settled = (id: string, status: string, attempts: number) => async () => {
  const row = await deliveryRow(id);
  return row?.status === status && row.attempts === attempts ? row : null;
};

// Each test has its own lab, so an event reaches only that test's webhooks.
let lab: { id: string; apiKey: string };
beforeEach(async () => {
  lab = await newLab("Delivery Lab");
});

describe("a receiver that fails twice, then succeeds", () => {
  it("gets the event exactly once successfully, every attempt signed and under the same webhook-id", async () => {
    const hook = await newHook(lab, receiverName("flaky"), "?fail=2");
    const event = retired("Falcon");
    const [id] = await enqueueWebhookEvent(env, lab.id, event);
    expect(id).toMatch(/^msg_[0-9a-f]{32}$/);
    await eventually("the third attempt to succeed", settled(id!, "delivered", 3));

    const requests = await received(hook.name);
    expect(requests).toHaveLength(3);
    for (const request of requests) {
      expect(request.headers["webhook-id"]).toBe(id);
      expect(request.body).toBe(JSON.stringify(event));
      expect(verifyWith(hook.secret, request)).toEqual(event);
    }
    // Retries wait (≥ 1 s here), and each attempt carries its own timestamp.
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(900);

    const [view] = await deliveries(lab, hook.id);
    expect(view).toMatchObject({ id, status: "delivered", attempts: 3, lastError: null });
    expect(view!.deliveredAt).not.toBeNull();
    expect(view!.history.map((a) => [a.attempt, a.httpStatus, a.manual])).toEqual([
      [1, 500, false],
      [2, 500, false],
      [3, 200, false],
    ]);
    expect(view!.history[0]!.error).toMatch(/500/);
    expect(view!.history[2]!.error).toBeNull();
    for (const a of view!.history) expect(a.latencyMs).toBeGreaterThanOrEqual(0);
  });
});

describe("a receiver that never succeeds", () => {
  it("ends dead after the last attempt, and a replay sends it again with the same id, recorded as manual", async () => {
    const hook = await newHook(lab, receiverName("down"), "?fail=always");
    const [id] = await enqueueWebhookEvent(env, lab.id, retired("Heron"));
    const dead = await eventually("the delivery to die", settled(id!, "dead", 3));
    expect(dead.last_error).toMatch(/500.*gave up after 3 attempts/);
    expect(await received(hook.name)).toHaveLength(3);

    const replay = await call("POST", `/api/v1/lab/webhooks/${hook.id}/deliveries/${id}/replay`, lab.apiKey);
    expect(replay.status).toBe(202);
    expect(await replay.json()).toEqual({ id, status: "pending" });
    // A replay starts a fresh schedule: three more attempts, the first by hand.
    await eventually("the replay to die again", settled(id!, "dead", 6));
    const requests = await received(hook.name);
    expect(requests).toHaveLength(6);
    expect(new Set(requests.map((r) => r.headers["webhook-id"]))).toEqual(new Set([id]));
    for (const request of requests) verifyWith(hook.secret, request);
    const [view] = await deliveries(lab, hook.id);
    expect(view!.history.map((a) => [a.attempt, a.manual])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
      [5, false],
      [6, false],
    ]);
  });
});

describe("replay of a delivered event", () => {
  it("re-delivers the same body under the same id; a pending delivery cannot be replayed", async () => {
    const hook = await newHook(lab, receiverName("ok"));
    const [id] = await enqueueWebhookEvent(env, lab.id, retired("Ibis"));
    await eventually("delivery", settled(id!, "delivered", 1));
    expect((await call("POST", `/api/v1/lab/webhooks/${hook.id}/deliveries/${id}/replay`, lab.apiKey)).status).toBe(202);
    // Still pending (the queue has not run yet): a second replay is a conflict.
    expect((await call("POST", `/api/v1/lab/webhooks/${hook.id}/deliveries/${id}/replay`, lab.apiKey)).status).toBe(409);
    await eventually("re-delivery", settled(id!, "delivered", 2));
    const [first, second] = await received(hook.name);
    expect(second!.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
    expect(second!.body).toBe(first!.body);
    const [view] = await deliveries(lab, hook.id);
    expect(view!.history.map((a) => [a.attempt, a.httpStatus, a.manual])).toEqual([
      [1, 200, false],
      [2, 200, true],
    ]);
  });
});

describe("who gets an event", () => {
  it("only live webhooks of that lab subscribed to its type; a deleted webhook stops receiving", async () => {
    const other = await newLab("Other Lab");
    const subscribed = await newHook(lab, receiverName("sub"), "", ["model.retired", "model.released"]);
    const unsubscribed = await newHook(lab, receiverName("unsub"), "", ["leaderboard.published"]);
    const otherLabs = await newHook(other, receiverName("other"));
    const ids = await enqueueWebhookEvent(env, lab.id, retired("Jay"));
    const rows = await env.DB.prepare("SELECT webhook_id FROM webhook_deliveries WHERE id IN (SELECT value FROM json_each(?))").bind(JSON.stringify(ids)).all<{ webhook_id: string }>();
    expect(rows.results.map((r) => r.webhook_id)).toContain(subscribed.id);
    expect(rows.results.map((r) => r.webhook_id)).not.toContain(unsubscribed.id);
    expect(rows.results.map((r) => r.webhook_id)).not.toContain(otherLabs.id);
    await eventually("delivery", async () => (await received(subscribed.name)).length === 1);

    expect((await call("DELETE", `/api/v1/lab/webhooks/${subscribed.id}`, lab.apiKey)).status).toBe(200);
    const after = await enqueueWebhookEvent(env, lab.id, retired("Kite"));
    const hooksOfAfter = await env.DB.prepare("SELECT webhook_id FROM webhook_deliveries WHERE id IN (SELECT value FROM json_each(?))").bind(JSON.stringify(after)).all<{ webhook_id: string }>();
    expect(hooksOfAfter.results.map((r) => r.webhook_id)).not.toContain(subscribed.id);
    // Give the queue time to (wrongly) deliver anything.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await received(subscribed.name)).toHaveLength(1);
    expect(await received(unsubscribed.name)).toHaveLength(0);
    expect(await received(otherLabs.name)).toHaveLength(0);
  });
});

describe("a queue that refuses the message", () => {
  it("keeps the delivery, marked as awaiting the queue, and the cron's sweep sends it later", async () => {
    const hook = await newHook(lab, receiverName("sweep"));
    const outage = { ...env, WEBHOOKS: { send: () => Promise.reject(new Error("queue down")), sendBatch: () => Promise.reject(new Error("queue down")) } } as unknown as Env;
    const [id] = await enqueueWebhookEvent(outage, lab.id, retired("Lark"));
    expect(await deliveryRow(id!)).toMatchObject({ status: "pending", attempts: 0, last_error: AWAITING_QUEUE });

    // Too recent to be called stalled: its message may still be on its way.
    const created = (await env.DB.prepare("SELECT created_at FROM webhook_deliveries WHERE id = ?").bind(id).first<{ created_at: number }>())!.created_at;
    expect(await resendStalledDeliveries(env, created + 1_000)).toBe(0);
    expect(await resendStalledDeliveries(env, created + STALLED_AFTER_MS)).toBeGreaterThanOrEqual(1);
    await eventually("the swept delivery", settled(id!, "delivered", 1));
    expect((await received(hook.name)).map((r) => r.headers["webhook-id"])).toEqual([id]);
    // Sent: the sweep does not send it again.
    expect(await resendStalledDeliveries(env, created + 10 * STALLED_AFTER_MS)).toBe(0);
  });

  it("a message the queue accepted is not sent again by the sweep, however long it waits in the queue", async () => {
    await newHook(lab, receiverName("backlog"));
    const accepted: unknown[] = [];
    const backlog = { ...env, WEBHOOKS: { sendBatch: async (messages: unknown[]) => void accepted.push(...messages) } } as unknown as Env;
    const [id] = await enqueueWebhookEvent(backlog, lab.id, retired("Newt"));
    expect(accepted).toEqual([{ body: { deliveryId: id }, contentType: "json" }]);
    expect(await deliveryRow(id!)).toMatchObject({ status: "pending", attempts: 0, last_error: null });
    expect(await resendStalledDeliveries(backlog, Date.now() + 10 * STALLED_AFTER_MS)).toBe(0);
    expect(accepted).toHaveLength(1);
  });
});

describe("the deliveries route", () => {
  it("pages newest first with a cursor, and refuses a bad limit or cursor with 400", async () => {
    const hook = await newHook(lab, receiverName("pages"));
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await deliveredRow(hook.id, lab.id, Date.now() + i));
    const page = async (query: string) => (await (await call("GET", `/api/v1/lab/webhooks/${hook.id}/deliveries${query}`, lab.apiKey)).json()) as { deliveries: { id: string }[]; nextCursor: string | null };
    const first = await page("?limit=2");
    expect(first.deliveries.map((d) => d.id)).toEqual([ids[4], ids[3]]);
    const second = await page(`?limit=2&cursor=${first.nextCursor}`);
    expect(second.deliveries.map((d) => d.id)).toEqual([ids[2], ids[1]]);
    const last = await page(`?limit=2&cursor=${second.nextCursor}`);
    expect(last).toEqual({ deliveries: [expect.objectContaining({ id: ids[0] })], nextCursor: null });
    for (const bad of ["?limit=0", "?limit=101", "?limit=x", "?cursor=%27%20OR%201", "?cursor=12_"]) {
      const response = await call("GET", `/api/v1/lab/webhooks/${hook.id}/deliveries${bad}`, lab.apiKey);
      expect(response.status, bad).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: "invalid_request" } });
    }
  });

  it("another lab sees and replays none of it: 404, the same answer as an unknown id", async () => {
    const hook = await newHook(lab, receiverName("private"));
    const [id] = await enqueueWebhookEvent(env, lab.id, retired("Moth"));
    await eventually("delivery", settled(id!, "delivered", 1));
    const intruder = await newLab("Intruder Lab");
    const own = await newHook(intruder, receiverName("intruder"));
    const unknown = await call("GET", `/api/v1/lab/webhooks/no-such-hook/deliveries`, intruder.apiKey);
    const attempts = [
      await call("GET", `/api/v1/lab/webhooks/${hook.id}/deliveries`, intruder.apiKey),
      await call("POST", `/api/v1/lab/webhooks/${hook.id}/deliveries/${id}/replay`, intruder.apiKey),
      // Its own webhook with the other lab's delivery id.
      await call("POST", `/api/v1/lab/webhooks/${own.id}/deliveries/${id}/replay`, intruder.apiKey),
    ];
    const shape = (body: { error: { code: string } }) => body.error.code;
    expect(unknown.status).toBe(404);
    for (const response of attempts) {
      expect(response.status).toBe(404);
      expect(shape(await response.json())).toBe("not_found");
    }
    expect(((await (await call("GET", `/api/v1/lab/webhooks/${own.id}/deliveries`, intruder.apiKey)).json()) as { deliveries: unknown[] }).deliveries).toEqual([]);
    expect(await deliveryRow(id!)).toMatchObject({ status: "delivered", attempts: 1 });
    expect((await call("GET", `/api/v1/lab/webhooks/${hook.id}/deliveries`, null)).status).toBe(401);
  });
});

/** Delivered deliveries written straight to D1 (no queue), for paging. */
async function deliveredRow(webhookId: string, labId: string, createdAt: number): Promise<string> {
  const id = `msg_${crypto.randomUUID().replaceAll("-", "")}`;
  await env.DB.prepare("INSERT INTO webhook_deliveries (id, webhook_id, lab_id, event_type, payload, status, attempts, created_at) VALUES (?, ?, ?, 'model.retired', '{}', 'delivered', 1, ?)")
    .bind(id, webhookId, labId, createdAt)
    .run();
  return id;
}
