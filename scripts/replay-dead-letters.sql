-- Replays the open dead letters into the record, then marks resolved every
-- dead letter whose row the record now holds. Idempotent: run it again and
-- nothing changes. Operators only, with D1 access:
--   npx wrangler d1 execute DB --remote --file scripts/replay-dead-letters.sql
-- Battle rows go first (turns and votes reference them); a letter whose
-- battle row or models are still missing is skipped and stays open, so one
-- bad letter does not stop the others. INSERT OR IGNORE keeps each replay
-- a no-op for rows the record already has, as the outbox's own writes are.
-- Keep the column lists in step with worker/db/record.ts when it grows
-- (test/worker/battle.outbox.test.ts checks them against worker/db/schema.ts).
-- A battle keeps its account: the row's own, or, as the record does when a
-- battle row lands after a sign-in merged its session, the merged account's.

INSERT OR IGNORE INTO battles (id, mode, modality, model_a, model_b, session_id, account_id, categories, created_at)
SELECT json_extract(d.write, '$.row.id'), json_extract(d.write, '$.row.mode'),
       coalesce(json_extract(d.write, '$.row.modality'), 'text'),
       json_extract(d.write, '$.row.modelA'), json_extract(d.write, '$.row.modelB'),
       json_extract(d.write, '$.row.sessionId'),
       coalesce(json_extract(d.write, '$.row.accountId'),
                (SELECT a.account_id FROM account_sessions a WHERE a.session_id = json_extract(d.write, '$.row.sessionId'))),
       json_extract(d.write, '$.row.categories'),
       coalesce(json_extract(d.write, '$.row.createdAt'), unixepoch('subsec') * 1000)
FROM dead_letters d
WHERE d.resolved_at IS NULL AND d.kind = 'battle'
  AND EXISTS (SELECT 1 FROM models m WHERE m.id = json_extract(d.write, '$.row.modelA'))
  AND (json_extract(d.write, '$.row.modelB') IS NULL
       OR EXISTS (SELECT 1 FROM models m WHERE m.id = json_extract(d.write, '$.row.modelB')))
ORDER BY d.battle_id, d.outbox_id;

INSERT OR IGNORE INTO battle_turns (battle_id, turn, prompt, response_a, response_b, status_a, status_b, finish_a, finish_b, error_a, error_b, attachments, images_a, images_b, created_at)
SELECT d.battle_id, json_extract(d.write, '$.row.turn'), json_extract(d.write, '$.row.prompt'),
       json_extract(d.write, '$.row.responseA'), json_extract(d.write, '$.row.responseB'),
       json_extract(d.write, '$.row.statusA'), json_extract(d.write, '$.row.statusB'),
       json_extract(d.write, '$.row.finishA'), json_extract(d.write, '$.row.finishB'),
       json_extract(d.write, '$.row.errorA'), json_extract(d.write, '$.row.errorB'),
       json_extract(d.write, '$.row.attachments'), json_extract(d.write, '$.row.imagesA'), json_extract(d.write, '$.row.imagesB'),
       coalesce(json_extract(d.write, '$.row.createdAt'), unixepoch('subsec') * 1000)
FROM dead_letters d
WHERE d.resolved_at IS NULL AND d.kind = 'turn'
  AND EXISTS (SELECT 1 FROM battles b WHERE b.id = d.battle_id)
ORDER BY d.battle_id, d.outbox_id;

INSERT OR IGNORE INTO votes (battle_id, session_id, mode, model_a, model_b, winner, counted, exclusion_reason, categories, turns, style_a, style_b, voted_at, prompt_hash, ip_key)
SELECT d.battle_id, json_extract(d.write, '$.row.sessionId'), json_extract(d.write, '$.row.mode'),
       json_extract(d.write, '$.row.modelA'), json_extract(d.write, '$.row.modelB'),
       json_extract(d.write, '$.row.winner'), json_extract(d.write, '$.row.counted'),
       json_extract(d.write, '$.row.exclusionReason'), json_extract(d.write, '$.row.categories'),
       json_extract(d.write, '$.row.turns'), json_extract(d.write, '$.row.styleA'),
       json_extract(d.write, '$.row.styleB'), json_extract(d.write, '$.row.votedAt'),
       json_extract(d.write, '$.row.promptHash'), json_extract(d.write, '$.row.ipKey')
FROM dead_letters d
WHERE d.resolved_at IS NULL AND d.kind = 'vote'
  AND EXISTS (SELECT 1 FROM battles b WHERE b.id = d.battle_id)
ORDER BY d.battle_id, d.outbox_id;

UPDATE dead_letters SET resolved_at = unixepoch('subsec') * 1000
WHERE resolved_at IS NULL AND (
  (kind = 'battle' AND EXISTS (SELECT 1 FROM battles b WHERE b.id = dead_letters.battle_id))
  OR (kind = 'turn' AND EXISTS (SELECT 1 FROM battle_turns t
      WHERE t.battle_id = dead_letters.battle_id AND t.turn = json_extract(dead_letters.write, '$.row.turn')))
  OR (kind = 'vote' AND EXISTS (SELECT 1 FROM votes v WHERE v.battle_id = dead_letters.battle_id))
);
