/**
 * The SSRF guard for every URL a lab gives the arena (webhook receivers and
 * model endpoints): a URL passes only if its literal host is a public,
 * globally routable destination on an expected port.
 *
 * What this check can and cannot see:
 * - Workers cannot resolve DNS before `fetch`, so a host *name* passes the
 *   literal check unless it is one of the well-known internal names below; a
 *   name that resolves to a private address is stopped by the platform, not
 *   here: Cloudflare's `fetch` does not reach private networks from
 *   production.
 * - Redirects are never followed (worker/net/outbound-fetch.ts fetches with
 *   `redirect: "manual"`), so a public URL cannot bounce to a private one.
 * - The URL is parsed with the WHATWG URL parser, which already turns
 *   decimal, octal, hex and short IPv4 forms (`2130706433`, `0x7f.1`,
 *   `0177.0.0.1`, `127.1`) into dotted quads and compresses IPv6; the host is
 *   re-checked with ipaddr.js's lenient IPv4 parser anyway, so a runtime that
 *   left such a form alone would still be refused.
 *
 * Address classes come from ipaddr.js (its RFC-referenced special ranges),
 * not hand-written CIDR arithmetic: only `unicast` IPv4 and global unicast
 * IPv6 (2000::/3) pass, plus loopback when `allowLoopback` is set. IPv6 forms
 * that embed an IPv4 address (mapped, compatible, SIIT, NAT64 64:ff9b::/96,
 * 6to4) are judged by the IPv4 address they carry, and never pass as loopback.
 */
import ipaddr from "ipaddr.js";

export interface OutboundPolicy {
  /** Local development only: 127/8, ::1 and `localhost` names, on any port. */
  allowLoopback: boolean;
  /** Plain http (port 80 by default); production is https only. */
  allowHttp: boolean;
  /** Ports allowed besides the scheme's default (443, and 80 when http is allowed). */
  allowedPorts: readonly number[];
}

export type OutboundUrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/**
 * Host names that name the local machine or a private network by convention
 * (RFC 6761 `localhost`, RFC 6762 `.local` and its appendix G's private
 * top-level names, RFC 8375 `home.arpa`) or a cloud metadata service
 * (`metadata.google.internal`, covered by `internal`).
 */
const INTERNAL_SUFFIXES = ["local", "internal", "localdomain", "home.arpa", "intranet", "private", "corp", "home", "lan"];

type Verdict = { loopback: boolean } | { refused: string };

const refused = (reason: string): Verdict => ({ refused: reason });

function judgeIPv4(address: ipaddr.IPv4, carrier = ""): Verdict {
  const range = address.range();
  const shown = carrier ? `${carrier} embeds ${address.toString()}, which` : `${address.toString()}`;
  if (range === "unicast") return { loopback: false };
  // Local development needs only the plain spellings of loopback; one hidden in an IPv6 form is refused.
  if (range === "loopback" && !carrier) return { loopback: true };
  return refused(`${shown} is a ${rangeName(range)} address`);
}

/** The IPv4 address an IPv6 transition form carries, if it is one. */
function embeddedIPv4(address: ipaddr.IPv6): ipaddr.IPv4 | "local-nat64" | null {
  const p = address.parts;
  const fromParts = (high: number, low: number) => new ipaddr.IPv4([high >> 8, high & 0xff, low >> 8, low & 0xff]);
  switch (address.range()) {
    case "ipv4Mapped": // ::ffff:a.b.c.d
    case "rfc6145": // ::ffff:0:a.b.c.d
      return fromParts(p[6]!, p[7]!);
    case "rfc6052": // 64:ff9b::a.b.c.d; the local-use 64:ff9b:1::/48 places it by prefix length
      return p[2] === 0 && p[3] === 0 && p[4] === 0 && p[5] === 0 && p[1] === 0xff9b ? fromParts(p[6]!, p[7]!) : "local-nat64";
    case "6to4": // 2002:aabb:ccdd::/48
      return fromParts(p[1]!, p[2]!);
  }
  // IPv4-compatible (deprecated, RFC 4291 §2.5.5.1): ::a.b.c.d
  if (p.slice(0, 6).every((part) => part === 0)) return fromParts(p[6]!, p[7]!);
  return null;
}

function judgeIPv6(address: ipaddr.IPv6): Verdict {
  const range = address.range();
  const shown = address.toString();
  if (range === "loopback") return { loopback: true };
  if (range === "unspecified") return refused(`${shown} is the unspecified address`);
  const embedded = embeddedIPv4(address);
  if (embedded === "local-nat64") return refused(`${shown} is a local-use NAT64 address`);
  if (embedded) return judgeIPv4(embedded, shown);
  if (range !== "unicast") return refused(`${shown} is a ${rangeName(range)} address`);
  // Outside 2000::/3 nothing is allocated for global unicast (IANA).
  if (!address.match(ipaddr.IPv6.parse("2000::"), 3)) return refused(`${shown} is not a global unicast address`);
  return { loopback: false };
}

const RANGE_NAMES: Record<string, string> = {
  linkLocal: "link-local",
  carrierGradeNat: "carrier-grade NAT (100.64.0.0/10)",
  uniqueLocal: "unique-local",
  private: "private",
  unspecified: "unspecified",
  multicast: "multicast",
  broadcast: "broadcast",
  reserved: "reserved",
  loopback: "loopback",
};

function rangeName(range: string): string {
  return RANGE_NAMES[range] ?? `special-purpose (${range})`;
}

function judgeHostName(name: string): Verdict {
  // A trailing dot names the same host (an absolute name).
  const host = name.replace(/\.+$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) return { loopback: true };
  const suffix = INTERNAL_SUFFIXES.find((s) => host === s || host.endsWith(`.${s}`));
  if (suffix) return refused(`"${name}" is an internal host name (.${suffix})`);
  // A single label resolves through the local search domains, i.e. inside the network.
  if (!host.includes(".")) return refused(`"${name}" is not a fully qualified host name`);
  return { loopback: false };
}

function judgeHost(hostname: string): Verdict {
  if (hostname.startsWith("[") && hostname.endsWith("]")) {
    const literal = hostname.slice(1, -1);
    if (!ipaddr.IPv6.isValid(literal)) return refused(`"${hostname}" is not a valid IPv6 address`);
    return judgeIPv6(ipaddr.IPv6.parse(literal));
  }
  if (ipaddr.IPv4.isValid(hostname)) return judgeIPv4(ipaddr.IPv4.parse(hostname));
  return judgeHostName(hostname);
}

/**
 * Checks a URL a lab supplied against `policy`; the URL returned is the
 * parsed, normalised one to fetch.
 *
 * @example checkOutboundUrl("https://hooks.example.com/arena", policy) // { ok: true, url }
 * @example checkOutboundUrl("http://169.254.169.254/latest/meta-data", policy)
 *          // { ok: false, reason: "plain http is not allowed; use https" }
 */
export function checkOutboundUrl(raw: string, policy: OutboundPolicy): OutboundUrlCheck {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "not a valid absolute URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: `scheme ${url.protocol} is not allowed; use https` };
  if (url.protocol === "http:" && !policy.allowHttp) return { ok: false, reason: "plain http is not allowed; use https" };
  // Credentials in a URL leak into logs and are a classic parser-confusion trick.
  if (url.username !== "" || url.password !== "") return { ok: false, reason: "credentials in the URL are not allowed" };

  const verdict = judgeHost(url.hostname);
  if ("refused" in verdict) return { ok: false, reason: verdict.refused };
  if (verdict.loopback) {
    if (!policy.allowLoopback) return { ok: false, reason: `${url.hostname} is a loopback address` };
    // Local development servers listen on arbitrary ports.
    return { ok: true, url };
  }

  const port = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
  const isDefault = (url.protocol === "https:" && port === 443) || (url.protocol === "http:" && port === 80);
  if (!isDefault && !policy.allowedPorts.includes(port)) return { ok: false, reason: `port ${port} is not allowed` };
  return { ok: true, url };
}
