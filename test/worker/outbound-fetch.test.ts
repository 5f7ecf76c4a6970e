/**
 * outboundFetch, the one way the Worker calls a URL a lab gave: the SSRF
 * guard first, redirects refused and not followed, a timeout, clear errors.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ArenaError } from "../../src/errors";
import { outboundFetch, type OutboundOptions } from "../../worker/net/outbound-fetch";
import { configOf } from "../../worker/config";

const base = env.FAKE_PROVIDER_URL;
const local: OutboundOptions = { policy: { allowLoopback: true, allowHttp: true, allowedPorts: [] }, timeoutMs: 1_000 };

async function failure(promise: Promise<unknown>): Promise<ArenaError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ArenaError);
  return error as ArenaError;
}

const hits = async (): Promise<Record<string, number>> => (await fetch(`${base}/outbound/hits`)).json();

describe("outboundFetch", () => {
  it("returns the answer of an allowed URL with its status and latency", async () => {
    const result = await outboundFetch(`${base}/outbound/ok`, { method: "POST", body: "{}" }, local);
    expect(result.status).toBe(200);
    expect(await result.response.text()).toBe("ok");
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("refuses a redirect and never requests where it points", async () => {
    const error = await failure(outboundFetch(`${base}/outbound/redirect`, {}, local));
    expect(error.code).toBe("outbound_redirect");
    expect(error.message).toMatch(/302/);
    expect((await hits())["/outbound/after-redirect"]).toBeUndefined();
  });

  it("gives up on a slow server after the timeout", async () => {
    const started = Date.now();
    const error = await failure(outboundFetch(`${base}/outbound/slow?ms=3000`, {}, { ...local, timeoutMs: 200 }));
    expect(error.code).toBe("outbound_timeout");
    expect(Date.now() - started).toBeLessThan(2_500);
  });

  it("refuses loopback and metadata addresses before any request when the policy does not allow them", async () => {
    const before = (await hits())["/outbound/ok"] ?? 0;
    const strict: OutboundOptions = { policy: { allowLoopback: false, allowHttp: true, allowedPorts: [] }, timeoutMs: 1_000 };
    expect((await failure(outboundFetch(`${base}/outbound/ok`, {}, strict))).code).toBe("outbound_url_refused");
    expect((await failure(outboundFetch("http://169.254.169.254/latest/meta-data/", {}, strict))).code).toBe("outbound_url_refused");
    expect((await failure(outboundFetch("https://[::ffff:127.0.0.1]/", {}, strict))).code).toBe("outbound_url_refused");
    expect((await hits())["/outbound/ok"] ?? 0).toBe(before);
  });

  it("reports an unreachable host as outbound_unreachable", async () => {
    // A loopback port nothing listens on.
    const error = await failure(outboundFetch("http://127.0.0.1:9/", {}, local));
    expect(["outbound_unreachable", "outbound_timeout"]).toContain(error.code);
  });

  it("production defaults refuse http and loopback; the test config turns them on", () => {
    expect(configOf({} as Env).outbound).toEqual({ policy: { allowLoopback: false, allowHttp: false, allowedPorts: [] }, timeoutMs: 10_000 });
    expect(configOf({ OUTBOUND_ALLOWED_PORTS: "8443, 9000", OUTBOUND_TIMEOUT_MS: "2500" } as unknown as Env).outbound).toMatchObject({ policy: { allowedPorts: [8443, 9000] }, timeoutMs: 2_500 });
    expect(configOf(env).outbound.policy).toMatchObject({ allowLoopback: true, allowHttp: true });
  });
});
