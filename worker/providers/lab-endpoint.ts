/**
 * How the arena calls a model a lab registered: every request goes through
 * the outbound guard (worker/net/outbound-fetch.ts), so a lab's endpoint can
 * never point the Worker at a private address or redirect it past the guard,
 * and the lab's key is opened from its sealed form only for the request,
 * never read from a Workers secret or kept in plain text in D1.
 *
 * The AI SDK providers take a `fetch`: the one built here adds the key in
 * the header the provider's API expects (OpenAI-style `Authorization:
 * Bearer`, Gemini's `x-goog-api-key`) in place of the placeholder the SDK
 * was given, and removes it when the lab stored no key.
 */
import { openSecret } from "../../src/labs/credentials";
import { configOf } from "../config";
import { masterKey } from "../labs/service";
import { outboundFetch } from "../net/outbound-fetch";

/** What the SDK is given as the key; replaced (or removed) before anything is sent. */
export const PLACEHOLDER_KEY = "sealed-lab-key";

export interface LabEndpoint {
  id: string;
  provider: "openai" | "openai-compatible" | "google" | "demo";
  apiKeySealed: string | null;
}

/** Opens a lab model's endpoint key; sealed with the model id as context, so it opens for no other model. */
export async function openLabModelKey(env: Env, model: LabEndpoint): Promise<string | null> {
  if (model.apiKeySealed === null) return null;
  return openSecret(await masterKey(env), model.apiKeySealed, labModelKeyContext(model.id));
}

/** The sealing context of a lab model's endpoint key. */
export function labModelKeyContext(modelId: string): string {
  return `model:${modelId}`;
}

/** A `fetch` for the AI SDK that calls the lab's endpoint under the outbound guard with its opened key. */
export function labFetch(env: Env, model: LabEndpoint): typeof fetch {
  let key: Promise<string | null> | undefined;
  return async (input, init) => {
    key ??= openLabModelKey(env, model);
    const request = new Request(input, init);
    const headers = new Headers(request.headers);
    const opened = await key;
    if (model.provider === "google") {
      if (opened === null) headers.delete("x-goog-api-key");
      else headers.set("x-goog-api-key", opened);
    } else if (opened === null) headers.delete("authorization");
    else headers.set("authorization", `Bearer ${opened}`);
    const { outbound, stream } = configOf(env);
    // The whole answer streams through this request: bounded by the stream's own total time.
    const { response } = await outboundFetch(
      request.url,
      { method: request.method, headers, body: init?.body ?? null, signal: init?.signal ?? null },
      { policy: outbound.policy, timeoutMs: stream.totalMs },
    );
    return response;
  };
}
