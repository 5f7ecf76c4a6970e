/**
 * The one way the Worker calls a URL a lab gave (webhook receivers, model
 * endpoints): checked by the SSRF guard (src/net/outbound-url.ts) first,
 * redirects never followed — a redirect could lead past the guard to an
 * address it refuses — and a short timeout, so a slow receiver cannot hold
 * a queue consumer or a battle.
 *
 * Errors are ArenaErrors a caller can store or answer with:
 * `outbound_url_refused` (the guard said no), `outbound_redirect` (a 3xx),
 * `outbound_timeout`, `outbound_unreachable` (network failure). Any other
 * status, 4xx and 5xx included, is returned for the caller to judge.
 */
import { ArenaError } from "../../src/errors";
import { checkOutboundUrl, type OutboundPolicy } from "../../src/net/outbound-url";

export interface OutboundOptions {
  policy: OutboundPolicy;
  timeoutMs: number;
}

export interface OutboundResult {
  url: URL;
  status: number;
  response: Response;
  latencyMs: number;
}

/**
 * Fetches `url` under the SSRF policy.
 *
 * @example
 * const { status, latencyMs } = await outboundFetch(hook.url, { method: "POST", body }, configOf(env).outbound);
 */
export async function outboundFetch(url: string, init: RequestInit, options: OutboundOptions): Promise<OutboundResult> {
  const checked = checkOutboundUrl(url, options.policy);
  if (!checked.ok) throw new ArenaError("outbound_url_refused", checked.reason);
  const started = Date.now();
  let response: Response;
  try {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    response = await fetch(checked.url, { ...init, redirect: "manual", signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
  } catch (error) {
    // The caller's own abort (a stopped battle side) is theirs to report.
    if (init.signal?.aborted) throw error;
    const name = (error as { name?: string }).name;
    if (name === "TimeoutError" || name === "AbortError") {
      throw new ArenaError("outbound_timeout", `${checked.url.host} did not answer within ${options.timeoutMs} ms`);
    }
    throw new ArenaError("outbound_unreachable", `${checked.url.host} could not be reached`);
  }
  const latencyMs = Date.now() - started;
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel();
    throw new ArenaError("outbound_redirect", `${checked.url.host} answered ${response.status} (a redirect); redirects are never followed`);
  }
  return { url: checked.url, status: response.status, response, latencyMs };
}
