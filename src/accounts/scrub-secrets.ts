/**
 * Credentials in prompts and answers: provider keys by their documented
 * prefixes, JWTs, `Bearer` headers, PEM private keys, `password=`-style
 * assignments, and long random-looking strings next to a key-ish word.
 *
 * A span covers the credential itself, not the word or header in front of it,
 * so `Authorization: Bearer [secret]` still reads as what it was.
 */

export interface Span {
  start: number;
  end: number;
}

/** Token shapes that are credentials wherever they appear. */
const PREFIXED: RegExp[] = [
  /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  /\bsk-ant-(?:api|admin)\d{2}-[A-Za-z0-9_-]{20,}/g,
  /\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}/g,
  /\bsk-[A-Za-z0-9]{20,}(?:T3BlbkFJ[A-Za-z0-9]{20,})?\b/g,
  /\b(?:ghp|gho|ghs|ghu|ghr)_[A-Za-z0-9]{30,}\b/g,
  /\bgithub_pat_[A-Za-z0-9_]{40,}\b/g,
  /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g,
  /\bAIza[0-9A-Za-z_-]{35}(?![0-9A-Za-z_-])/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  /\b(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}\b/g,
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
];

/** The credential after a header or key name: group 1 is the value. */
const AFTER_NAME: RegExp[] = [
  /\bBearer\s+([A-Za-z0-9._~+/-]{16,}=*)/g,
  /\baws_secret_access_key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])/gi,
];

/**
 * `password = "hunter2"`, `"api_key": "…"`, `--token=…`, `PGPASSWORD=…`:
 * group 1 is the value, quoted or bare.
 */
const ASSIGNMENT =
  /(?:pass(?:word|wd|phrase)?|pwd|secret|client_secret|token|auth_token|access_token|refresh_token|api[_-]?key|apikey|private_key|secret_key)["']?\s*(?::=|=>|[:=])\s*(?:"([^"\s]{4,})"|'([^'\s]{4,})'|([^\s"',;()}\]]{4,}))/gi;

/** Values that name a type, a variable or a placeholder rather than carry a secret. */
const NOT_A_VALUE =
  /^(?:string|number|boolean|bool|str|int|any|unknown|null|none|nil|undefined|true|false|required|optional|secret|password|token|redacted|hidden|changeme|example|placeholder)$/i;

function isPlaceholder(value: string, after: string): boolean {
  if (NOT_A_VALUE.test(value)) return true;
  if (/^[$<{%[]|^(?:process\.env|os\.environ|os\.getenv|env\.|import\.meta|self\.|this\.|config\.|settings\.|args\.|req\.|request\.)/i.test(value)) return true;
  if (/^(?:x+|\*+|\.+|-+|_+|#+)$/i.test(value) || /^your[_-]|[_-]here$/i.test(value)) return true;
  // A call or member access (`token = getToken()`, `password: form.password`).
  if (after.startsWith("(") || /^[A-Za-z_][\w]*\.[A-Za-z_]/.test(value) && !/\d/.test(value)) return true;
  // A bare identifier in code (`api_key = apiKey`) rather than a literal.
  if (/^[a-z]+(?:[A-Z][a-z]+)+$/.test(value)) return true;
  return false;
}

/** Words that say the string next to them is a credential. */
const KEYISH = /(?:key|secret|token|credential|passw|auth|signature|sig\b|api|bearer|session|cookie|salt|webhook)/i;

/** A UUID names a record and is published as such; it is not a secret. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Shannon entropy in bits per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / value.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

function looksRandom(value: string): boolean {
  if (value.length < 20 || UUID.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /\d/].filter((re) => re.test(value)).length;
  if (!/\d/.test(value) || classes < 2) return false;
  // Words joined by separators (`my-long-config-name_2`) are not random.
  if (/^(?:[a-z]+[-_.])+[a-z0-9]+$/i.test(value) && entropy(value) < 4) return false;
  return entropy(value) >= (classes === 3 ? 3.5 : 3.2);
}

const LONG_TOKEN = /(?<![A-Za-z0-9+/_=-])[A-Za-z0-9+/_-]{20,}={0,2}(?![A-Za-z0-9+/_=-])/g;

/** Finds credential spans in `text`; spans may overlap, the caller merges them. */
export function findSecrets(text: string): Span[] {
  const spans: Span[] = [];
  for (const re of PREFIXED) {
    for (const m of text.matchAll(re)) spans.push({ start: m.index, end: m.index + m[0].length });
  }
  for (const re of AFTER_NAME) {
    for (const m of text.matchAll(re)) {
      const value = m[1]!;
      const start = m.index + m[0].length - value.length;
      spans.push({ start, end: start + value.length });
    }
  }
  for (const m of text.matchAll(ASSIGNMENT)) {
    const value = m[1] ?? m[2] ?? m[3]!;
    const offset = m[0].lastIndexOf(value);
    const start = m.index + offset;
    const end = start + value.length;
    if (isPlaceholder(value, text.slice(end, end + 1))) continue;
    spans.push({ start, end });
  }
  for (const m of text.matchAll(LONG_TOKEN)) {
    const lineStart = text.lastIndexOf("\n", m.index) + 1;
    const before = text.slice(Math.max(lineStart, m.index - 40), m.index);
    if (KEYISH.test(before) && looksRandom(m[0])) spans.push({ start: m.index, end: m.index + m[0].length });
  }
  return spans;
}
