import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { newWebhookSecret } from "../../src/labs/credentials";
import { signedHeaders } from "../../worker/webhooks/signing";

const payload = JSON.stringify({ type: "leaderboard.published", timestamp: "2026-12-04T12:00:00.000Z", data: { publicationId: "42.1" } });

describe("webhook signatures", () => {
  it("verify with the receiver's standardwebhooks library", () => {
    const secret = newWebhookSecret();
    const headers = signedHeaders({ id: "msg_1", timestamp: new Date(), payload, secrets: [secret] });
    expect(headers["webhook-id"]).toBe("msg_1");
    expect(headers["webhook-signature"]).toMatch(/^v1,[A-Za-z0-9+/]+=*$/);
    expect(new Webhook(secret).verify(payload, headers)).toEqual(JSON.parse(payload));
  });

  it("carry one signature per live secret during a rotation, each accepted alone", () => {
    const [next, previous] = [newWebhookSecret(), newWebhookSecret()];
    const headers = signedHeaders({ id: "msg_2", timestamp: new Date(), payload, secrets: [next, previous] });
    expect(headers["webhook-signature"].split(" ")).toHaveLength(2);
    expect(() => new Webhook(next).verify(payload, headers)).not.toThrow();
    expect(() => new Webhook(previous).verify(payload, headers)).not.toThrow();
  });

  it("are refused for a changed body, another secret, another id or an old timestamp", () => {
    const secret = newWebhookSecret();
    const headers = signedHeaders({ id: "msg_3", timestamp: new Date(), payload, secrets: [secret] });
    expect(() => new Webhook(secret).verify(payload.replace("42.1", "43.1"), headers)).toThrow();
    expect(() => new Webhook(newWebhookSecret()).verify(payload, headers)).toThrow();
    expect(() => new Webhook(secret).verify(payload, { ...headers, "webhook-id": "msg_4" })).toThrow();
    const old = signedHeaders({ id: "msg_3", timestamp: new Date(Date.now() - 10 * 60_000), payload, secrets: [secret] });
    expect(() => new Webhook(secret).verify(payload, old)).toThrow();
  });

  it("need a secret", () => {
    expect(() => signedHeaders({ id: "msg_5", timestamp: new Date(), payload, secrets: [] })).toThrow();
  });
});
