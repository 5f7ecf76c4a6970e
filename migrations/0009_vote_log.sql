CREATE TABLE `vote_log` (
	`seq` integer PRIMARY KEY NOT NULL,
	`hash` text NOT NULL,
	`logged_at` integer NOT NULL
);
--> statement-breakpoint
-- The log is append-only, like the votes it chains: a published hash can
-- never be rewritten, only followed.
CREATE TRIGGER `vote_log_no_update` BEFORE UPDATE ON `vote_log`
BEGIN
	SELECT RAISE(ABORT, 'the vote log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `vote_log_no_delete` BEFORE DELETE ON `vote_log`
BEGIN
	SELECT RAISE(ABORT, 'the vote log is append-only');
END;
