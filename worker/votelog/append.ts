/**
 * The cron step that extends the vote log: every vote stored since the
 * chain's head, in seq order, gets its hash (src/votelog/chain.ts) in
 * `vote_log`. Hashes are a pure function of the votes, so two overlapping
 * runs compute the same rows and the second insert changes nothing; a run
 * chains at most `maxVotes`, the rest wait for the next.
 */
import { chainRecords, GENESIS } from "../../src/votelog/chain";
import { logHead, publicRecord, VOTE_COLUMNS, type VoteRow } from "./records";

export interface AppendReport {
  appended: number;
  head: { seq: number; hash: string };
}

const SELECT_NEW = `SELECT ${VOTE_COLUMNS} FROM votes v WHERE v.seq > ? ORDER BY v.seq LIMIT ?`;

export async function appendVoteLog(d1: D1Database, options: { chunk: number; maxVotes: number }, now = Date.now()): Promise<AppendReport> {
  let head: { seq: number; hash: string } = (await logHead(d1)) ?? GENESIS;
  let appended = 0;
  while (appended < options.maxVotes) {
    const { results } = await d1.prepare(SELECT_NEW).bind(head.seq, Math.min(options.chunk, options.maxVotes - appended)).all<VoteRow>();
    if (results.length === 0) break;
    const chained = await chainRecords(head, results.map(publicRecord));
    await d1
      .prepare("INSERT INTO vote_log (seq, hash, logged_at) SELECT value ->> 0, value ->> 1, ?2 FROM json_each(?1) WHERE true ON CONFLICT (seq) DO NOTHING")
      .bind(JSON.stringify(chained.map((r) => [r.seq, r.hash])), now)
      .run();
    const last = chained.at(-1)!;
    head = { seq: last.seq, hash: last.hash };
    appended += chained.length;
  }
  return { appended, head };
}
