/**
 * Phone numbers in free text. Candidates are digit runs written the way people
 * write numbers (`+44 20 7946 0958`, `(415) 555-0132`, `06 12 34 56 78`,
 * `030/1234567`); each is then checked against Google's libphonenumber
 * metadata (awesome-phonenumber), which knows every country's lengths and
 * prefixes. Its own `findNumbers` only joins digits separated by single
 * spaces, so the candidate scan is ours.
 *
 * What keeps dates, versions, prices, ISBNs and numbers in code out:
 * - a run written without any separator and without `+` counts only after a
 *   word such as "phone", "tel", "call", "WhatsApp" (in several languages);
 * - date shapes (`2024-03-15`, `15.03.2024`, `03/15/2024 10`) are refused;
 * - a currency sign or unit next to the run, or "ISBN" before it, refuses it;
 * - a national number (no `+`/`00`) must be valid in one of REGIONS and start
 *   with that region's trunk prefix, or be North American (10 digits).
 */
import { parsePhoneNumber } from "awesome-phonenumber";
import type { Span } from "./scrub-secrets";

/** Countries whose national formats are recognised without a `+`. */
const REGIONS = ["US", "GB", "DE", "FR", "IN", "BR", "JP", "ES", "IT", "NL", "AU", "MX", "CN", "PL", "SE", "CH", "AT", "BE", "PT", "RU", "TR", "KR", "ZA", "NG", "AR"];

/** Regions whose national numbers are written without a leading trunk `0`. */
const NO_TRUNK_ZERO = new Set(["US", "ES", "IT", "PT", "MX", "BR", "IN", "CN", "PL", "RU", "AR", "SE", "TR", "KR", "ZA", "NG"]);

const CANDIDATE = /(?<![\w.,/+-])(?:\+|00)?\(?\d[\d \u00a0().\/-]{5,22}\d(?![\w-]|[.,]\d)/g;

const PHONE_WORDS =
  /(?:phone|tel\b|tel\.|tél|telefon|teléfono|telefone|telefono|mobile|mobil|móvil|cell|call|ring|fax|whatsapp|sms|text me|contact|numéro|número|numer|nummer|number|handy|portable|携帯|電話|номер|телефон|dial|reach me|hotline|support line)/i;

const DATE_SHAPES = [
  /^\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\D|$)/,
  /^\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}(?:\D|$)/,
  /^\d{1,2}\/\d{4}$/,
];

const MONEY_BEFORE = /(?:[$€£¥₹₽]|usd|eur|gbp|chf|price|cost|total|isbn(?:-1[03])?:?)\s*$/i;
const UNIT_AFTER = /^\s*(?:[$€£¥₹%]|usd|eur|gbp|chf|kb|mb|gb|tb|ms|km|kg|px|bytes?|rows|users|tokens|votes|times|years|dollars|euros|€)/i;

function digitsOf(raw: string): string {
  return raw.replace(/\D/g, "");
}

function isDateLike(raw: string): boolean {
  return DATE_SHAPES.some((re) => re.test(raw.trim()));
}

function nationalValid(raw: string, digits: string): boolean {
  for (const region of REGIONS) {
    const parsed = parsePhoneNumber(raw, { regionCode: region });
    if (!parsed.valid) continue;
    if (region === "US") {
      if (digits.length === 10 || (digits.length === 11 && digits.startsWith("1"))) return true;
      continue;
    }
    if (digits.startsWith("0") || NO_TRUNK_ZERO.has(region)) return true;
  }
  return false;
}

/** Finds phone-number spans in `text`. */
export function findPhones(text: string): Span[] {
  const spans: Span[] = [];
  for (const m of text.matchAll(CANDIDATE)) {
    let raw = m[0];
    let start = m.index;
    // A bracket that opens the sentence, not the area code: `(call 0171…)`.
    if (raw.startsWith("(") && !/^\(\d{1,5}\)/.test(raw)) {
      raw = raw.slice(1);
      start += 1;
    }
    const end = start + raw.length;
    const digits = digitsOf(raw);
    if (digits.length < 7 || digits.length > 15) continue;
    if (/[(]/.test(raw) !== /[)]/.test(raw) && !raw.endsWith(")")) continue;
    if (isDateLike(raw)) continue;
    const before = text.slice(Math.max(0, start - 40), start);
    const after = text.slice(end, end + 12);
    if (MONEY_BEFORE.test(before) || UNIT_AFTER.test(after)) continue;
    // A decimal number or version: one dot, or dots between short groups (`10.0.19045.3570`).
    const dots = raw.split(".").length - 1;
    if (dots === 1 || (dots > 0 && /^\d{1,3}\.\d{1,3}\./.test(raw) && !/^\d{3}\.\d{3}\.\d{4}$/.test(raw) && !/^0\d(?:\.\d\d){4}$/.test(raw))) continue;
    const international = raw.startsWith("+") || raw.startsWith("00");
    const separated = /[ \u00a0().\/-]/.test(raw);
    const worded = PHONE_WORDS.test(before);
    if (!international && !separated && !worded) continue;
    // A range (`49152-65535`, `2000-2010`) is two numbers, not one.
    if (!international && !worded && /^[1-9]\d*-\d+$/.test(raw)) continue;
    // Groups of three after a short head are thousands (`1 250 000`), unless said to be a number.
    if (!international && !worded && /^\d{1,2}(?:[ \u00a0.]\d{3})+$/.test(raw)) continue;
    const ok = international
      ? parsePhoneNumber(raw.startsWith("00") ? `+${digits.slice(2)}` : raw).valid
      : nationalValid(raw, digits);
    if (ok) spans.push({ start, end });
  }
  return spans;
}
