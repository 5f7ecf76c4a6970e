/**
 * Helpers for the webhook delivery tests: labs and webhooks made through the
 * API, the fake receiver's record of what it got (test/fake-providers), a
 * signature check with the receivers' own library, and polling D1.
 */
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { expect } from "vitest";
import type { ReceivedHook } from "../fake-providers/server";
import { api } from "./helpers";

const ADMIN = "test-admin-token-0123456789abcdef";
export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

export function call(method: string, path: string, token: string | null, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { ...(token ? bearer(token) : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) };
  return api(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

export async function newLab(name: string): Promise<{ id: string; apiKey: string }> {
  const response = await call("POST", "/api/v1/admin/labs", ADMIN, { name: `${name} ${crypto.randomUUID()}` });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { lab: { id: string }; apiKey: string };
  return { id: body.lab.id, apiKey: body.apiKey };
}

/** A webhook of `lab` to the fake receiver `name` (`query` scripts its behaviour). */
export async function newHook(lab: { apiKey: string }, name: string, query = "", events = ["model.retired"]): Promise<{ id: string; secret: string; name: string }> {
  const response = await call("POST", "/api/v1/lab/webhooks", lab.apiKey, { url: `${env.FAKE_PROVIDER_URL}/hooks/${name}${query}`, events });
  expect(response.status).toBe(201);
  return { ...((await response.json()) as { id: string; secret: string }), name };
}

/** A unique receiver name per test run (the fake server outlives test files). */
export const receiverName = (label: string) => `${label}-${crypto.randomUUID().slice(0, 8)}`;

export async function received(name: string): Promise<ReceivedHook[]> {
  return (await fetch(`${env.FAKE_PROVIDER_URL}/hooks/${name}`)).json();
}

/** Checks one received request with the standardwebhooks library, as a receiver would; returns the verified body. */
export function verifyWith(secret: string, request: ReceivedHook): unknown {
  return new Webhook(secret).verify(request.body, {
    "webhook-id": request.headers["webhook-id"]!,
    "webhook-timestamp": request.headers["webhook-timestamp"]!,
    "webhook-signature": request.headers["webhook-signature"]!,
  });
}

export interface DeliveryRow {
  id: string;
  status: string;
  attempts: number;
  last_error: string | null;
  payload: string;
}

export const deliveryRow = (id: string) => env.DB.prepare("SELECT * FROM webhook_deliveries WHERE id = ?").bind(id).first<DeliveryRow>();

/** Polls until `check` returns a value, or fails after `timeoutMs`. */
export async function eventually<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Inserts a pending delivery without queueing it, for tests that drive the consumer by hand. */
export async function pendingDelivery(hook: { id: string }, labId: string, payload = JSON.stringify({ type: "model.retired", timestamp: new Date().toISOString(), data: {} })): Promise<string> {
  const id = `msg_${crypto.randomUUID().replaceAll("-", "")}`;
  await env.DB.prepare("INSERT INTO webhook_deliveries (id, webhook_id, lab_id, event_type, payload, status, attempts, created_at) VALUES (?, ?, ?, 'model.retired', ?, 'pending', 0, ?)")
    .bind(id, hook.id, labId, payload, Date.now())
    .run();
  return id;
}
