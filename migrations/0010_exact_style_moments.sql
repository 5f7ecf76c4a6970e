-- Style moments are now exact integer sums in units of 2^-24 (src/ranking/style.ts),
-- so that a published board can be recomputed to the last bit from the vote log.
-- The old float aggregates cannot be converted: drop the folded state and let the
-- cron fold every counted vote again (votes themselves are untouched).
DELETE FROM `style_buckets`;
--> statement-breakpoint
DELETE FROM `pair_counts`;
--> statement-breakpoint
DELETE FROM `ranking_folds`;
--> statement-breakpoint
DELETE FROM `ranking_state` WHERE `key` IN ('elo', 'published');
