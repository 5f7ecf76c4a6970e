/**
 * The personal-data scrubber run over a user's conversations (prompts and
 * model answers) before they go into the open dataset: e-mail addresses,
 * phone numbers, credentials and IP addresses are replaced by `[email]`,
 * `[phone]`, `[secret]` and `[ip]`.
 *
 * Pure: no platform imports, so the Worker's export job and the CLI run the
 * same code. Where spans overlap, the stronger kind wins (a secret over an
 * e-mail inside a connection string, an IP over the phone-shaped digits in
 * it), then the earlier and longer span.
 *
 * Decisions, also pinned by the labelled examples in
 * test/fixtures/scrub-examples.jsonl:
 * - a dotted quad whose parts are 0–255 is an IPv4 address, unless it follows
 *   `v`/"version"; `1.2.3` is not; 0.0.0.0, loopback (127/8, ::1), the
 *   broadcast address and netmasks (255.x.x.x) are left, as they say nothing
 *   about a person;
 * - a UUID, a git commit hash or a SHA digest alone is not a secret; a long
 *   random-looking string next to a key-ish word ("token", "secret", "key") is;
 * - every e-mail address is scrubbed, role addresses (support@…) included.
 *
 * @example
 * scrubText("mail ana@example.org").text // "mail [email]"
 */
import ipaddr from "ipaddr.js";
import { findPhones } from "./scrub-phones";
import { findSecrets, type Span } from "./scrub-secrets";

export type ScrubKind = "email" | "phone" | "secret" | "ip";

/** One scrubbed span, as offsets into the input text. */
export interface ScrubFinding {
  kind: ScrubKind;
  start: number;
  end: number;
}

export interface ScrubResult {
  text: string;
  found: ScrubFinding[];
}

/** Order of precedence when two findings overlap. */
const PRECEDENCE: readonly ScrubKind[] = ["secret", "email", "ip", "phone"];

const EMAIL =
  /(?<![\w.%+-])[A-Za-z0-9](?:[A-Za-z0-9._%+-]{0,62}[A-Za-z0-9_%+-])?@(?:[A-Za-z0-9\u00c0-\uffff](?:[A-Za-z0-9\u00c0-\uffff-]{0,61}[A-Za-z0-9\u00c0-\uffff])?\.)+[A-Za-z\u00c0-\uffff]{2,24}(?![\w-])/g;

/** File names that look like addresses (`logo@2x.png`). */
const ASSET_SUFFIX = /\.(?:png|jpe?g|gif|svg|webp|ico|css|js|mjs|ts)$/i;

const IPV4 = /(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)/g;
const IPV6 = /(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?:%[\w.]+)?(?![\w:]|\.\d)/g;

function findEmails(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(EMAIL)) {
    if (ASSET_SUFFIX.test(m[0])) continue;
    spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

/** Addresses that identify no one: the unspecified address, loopback, broadcast, multicast. */
function isUninformative(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  const range = address.range();
  return range === "unspecified" || range === "loopback" || range === "broadcast";
}

function findIps(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(IPV4)) {
    const raw = m[0];
    if (!ipaddr.IPv4.isValidFourPartDecimal(raw) || raw.startsWith("255.")) continue;
    if (/(?:\bv|\bversion\s*|\bver\.?\s*)$/i.test(text.slice(Math.max(0, m.index - 9), m.index))) continue;
    if (isUninformative(ipaddr.IPv4.parse(raw))) continue;
    spans.push({ start: m.index, end: m.index + raw.length });
  }
  for (const m of text.matchAll(IPV6)) {
    const raw = m[0].replace(/%[\w.]+$/, "");
    const groups = raw.split(":").filter((g) => g !== "");
    if (groups.length < 2 || !/\d/.test(raw) || !ipaddr.IPv6.isValid(raw)) continue;
    // Times and ratios (`12:30:45`) parse only when compressed; a real address with no `::` has eight groups.
    if (!raw.includes("::") && groups.length < 8 && !raw.includes(".")) continue;
    if (isUninformative(ipaddr.IPv6.parse(raw))) continue;
    spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return spans;
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

/** Joins overlapping spans of one kind, so a JWT inside a longer token match is scrubbed whole. */
function mergeOverlapping(spans: Span[]): Span[] {
  const merged: Span[] = [];
  for (const span of spans.toSorted((a, b) => a.start - b.start)) {
    const last = merged.at(-1);
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ ...span });
  }
  return merged;
}

/** Finds every span to scrub, without overlaps, in text order. */
export function findPersonalData(text: string): ScrubFinding[] {
  const byKind: Record<ScrubKind, Span[]> = {
    secret: findSecrets(text),
    email: findEmails(text),
    ip: findIps(text),
    phone: findPhones(text),
  };
  const kept: ScrubFinding[] = [];
  for (const kind of PRECEDENCE) {
    for (const span of mergeOverlapping(byKind[kind])) {
      if (kept.some((k) => overlaps(k, span))) continue;
      kept.push({ kind, start: span.start, end: span.end });
    }
  }
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * Replaces personal data in `text` with `[kind]` placeholders.
 *
 * @example
 * scrubText("key sk-proj-abcdefghijklmnopqrstuv12").text // "key [secret]"
 */
export function scrubText(text: string): ScrubResult {
  const found = findPersonalData(text);
  let out = "";
  let at = 0;
  for (const f of found) {
    out += text.slice(at, f.start) + `[${f.kind}]`;
    at = f.end;
  }
  return { text: out + text.slice(at), found };
}

export interface ConversationMessage {
  role: string;
  content: string;
}

/** Scrubs each message's content; roles pass unchanged. */
export function scrubConversation<M extends ConversationMessage>(messages: readonly M[]): { messages: M[]; found: ScrubFinding[][] } {
  const results = messages.map((m) => scrubText(m.content));
  return {
    messages: messages.map((m, i) => ({ ...m, content: results[i]!.text })),
    found: results.map((r) => r.found),
  };
}
