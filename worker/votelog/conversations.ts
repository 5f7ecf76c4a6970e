/**
 * Conversations in the open dataset, only of people who allow it: the
 * battles of accounts whose "publish my conversations" setting is on, started
 * after they turned it on, voted on by the publication's chain head — each
 * linked to its public vote record by `seq` and `battleId`, every prompt and
 * answer scrubbed of e-mail addresses, phone numbers, API keys and tokens,
 * and IP addresses (src/accounts/scrub.ts).
 *
 * Rebuilt for every dataset from D1 as it is then: a person who turns the
 * setting off, deletes a battle or deletes their account is absent from
 * every later dataset (earlier datasets are pruned after
 * KEEP_DATASETS publications). The newest {@link CONVERSATIONS_MAX} are
 * written, a page of battles at a time.
 */
import { scrubText } from "../../src/accounts/scrub";
import { IMMUTABLE, sha256Hex } from "./export";

/** Conversations per dataset file (newest first by vote seq, then written in seq order). */
export const CONVERSATIONS_MAX = 5_000;
const PAGE = 200;

export interface ConversationRecord {
  seq: number;
  battleId: string;
  turns: { turn: number; prompt: string; a: string; b: string | null }[];
}

export interface ConversationsFile {
  name: string;
  records: number;
  bytes: number;
  sha256: string;
  /** What was removed from the text, and how many of each. */
  scrubbed: Record<string, number>;
}

const PUBLISHABLE = `FROM votes v
  JOIN battles b ON b.id = v.battle_id
  JOIN accounts a ON a.id = b.account_id
  WHERE a.publish_conversations = 1 AND a.publish_since IS NOT NULL AND b.created_at >= a.publish_since AND v.seq <= ?`;

/** The scrubbed conversations published up to `headSeq`, newest {@link CONVERSATIONS_MAX}, in seq order. */
export async function publishableConversations(d1: D1Database, headSeq: number, max = CONVERSATIONS_MAX): Promise<{ records: ConversationRecord[]; scrubbed: Record<string, number> }> {
  const records: ConversationRecord[] = [];
  const scrubbed: Record<string, number> = {};
  const clean = (text: string) => {
    const result = scrubText(text);
    for (const finding of result.found) scrubbed[finding.kind] = (scrubbed[finding.kind] ?? 0) + 1;
    return result.text;
  };
  let before = Number.MAX_SAFE_INTEGER;
  while (records.length < max) {
    const { results: battles } = await d1
      .prepare(`SELECT v.seq, v.battle_id ${PUBLISHABLE} AND v.seq < ? ORDER BY v.seq DESC LIMIT ?`)
      .bind(headSeq, before, Math.min(PAGE, max - records.length))
      .all<{ seq: number; battle_id: string }>();
    if (battles.length === 0) break;
    const ids = battles.map((b) => b.battle_id);
    const { results: turns } = await d1
      .prepare(`SELECT battle_id, turn, prompt, response_a, response_b FROM battle_turns WHERE battle_id IN (${ids.map(() => "?").join(",")}) ORDER BY battle_id, turn`)
      .bind(...ids)
      .all<{ battle_id: string; turn: number; prompt: string; response_a: string; response_b: string | null }>();
    for (const battle of battles) {
      const own = turns.filter((t) => t.battle_id === battle.battle_id);
      if (own.length === 0) continue;
      records.push({
        seq: battle.seq,
        battleId: battle.battle_id,
        turns: own.map((t) => ({ turn: t.turn, prompt: clean(t.prompt), a: clean(t.response_a), b: t.response_b === null ? null : clean(t.response_b) })),
      });
    }
    before = battles.at(-1)!.seq;
  }
  records.sort((x, y) => x.seq - y.seq);
  return { records, scrubbed };
}

/** Writes `conversations.jsonl` into the dataset folder; null when nobody's conversations may be published. */
export async function putConversations(bucket: R2Bucket, d1: D1Database, folder: string, headSeq: number): Promise<ConversationsFile | null> {
  const { records, scrubbed } = await publishableConversations(d1, headSeq);
  if (records.length === 0) return null;
  const body = new TextEncoder().encode(records.map((r) => JSON.stringify(r)).join("\n") + "\n");
  const name = "conversations.jsonl";
  const sha256 = await sha256Hex(body);
  await bucket.put(folder + name, body, { httpMetadata: { contentType: "application/x-ndjson; charset=utf-8", cacheControl: IMMUTABLE }, customMetadata: { sha256 } });
  return { name, records: records.length, bytes: body.byteLength, sha256, scrubbed };
}
