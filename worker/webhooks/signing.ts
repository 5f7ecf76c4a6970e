/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com), made with
 * the maintained `standardwebhooks` package so any receiver's library
 * verifies them. During a secret rotation's overlap window a delivery is
 * signed with every live secret: one `v1,<signature>` per secret,
 * space-separated in one `webhook-signature` header, as the specification
 * allows, so a receiver holding either secret accepts it.
 */
import { Webhook } from "standardwebhooks";

export interface SigningInput {
  /** The delivery id, the same on every retry (receivers de-duplicate by it). */
  id: string;
  timestamp: Date;
  /** The exact bytes sent as the body. */
  payload: string;
  /** Live secrets (`whsec_…`), newest first. */
  secrets: readonly string[];
}

export type SignedHeaders = Record<"webhook-id" | "webhook-timestamp" | "webhook-signature", string>;

/**
 * @example
 * const headers = signedHeaders({ id: delivery.id, timestamp: new Date(), payload: body, secrets: [hook.secret] });
 */
export function signedHeaders({ id, timestamp, payload, secrets }: SigningInput): SignedHeaders {
  if (secrets.length === 0) throw new Error("a webhook needs at least one secret to sign with");
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(timestamp.getTime() / 1000)),
    "webhook-signature": secrets.map((secret) => new Webhook(secret).sign(id, timestamp, payload)).join(" "),
  };
}
