CREATE TABLE `audit_counts` (
	`category` text NOT NULL,
	`model_id` text NOT NULL,
	`reason` text NOT NULL,
	`votes` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`category`, `model_id`, `reason`)
);
--> statement-breakpoint
CREATE TABLE `dead_letters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`battle_id` text NOT NULL,
	`kind` text NOT NULL,
	`write` text NOT NULL,
	`attempts` integer NOT NULL,
	`last_error` text NOT NULL,
	`outbox_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`resolved_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `dead_letters_outbox` ON `dead_letters` (`battle_id`,`outbox_id`);--> statement-breakpoint
CREATE TABLE `voter_flags` (
	`session_id` text PRIMARY KEY NOT NULL,
	`flagged` integer NOT NULL,
	`p_value` real NOT NULL,
	`votes` integer NOT NULL,
	`applied_seq` integer DEFAULT 0 NOT NULL,
	`changed_at` integer NOT NULL,
	`evaluated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `voter_flags_flagged` ON `voter_flags` (`flagged`);--> statement-breakpoint
ALTER TABLE `votes` ADD `prompt_hash` text;--> statement-breakpoint
CREATE INDEX `votes_session_seq` ON `votes` (`session_id`,`seq`);