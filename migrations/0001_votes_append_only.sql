-- Votes are an append-only record: once written, a vote can be neither
-- changed nor removed, so the public log and every leaderboard computed from
-- it can be re-derived exactly. Corrections are new records, never edits.
CREATE TRIGGER `votes_no_update` BEFORE UPDATE ON `votes`
BEGIN
	SELECT RAISE(ABORT, 'votes are append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `votes_no_delete` BEFORE DELETE ON `votes`
BEGIN
	SELECT RAISE(ABORT, 'votes are append-only');
END;
