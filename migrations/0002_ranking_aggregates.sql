CREATE TABLE `leaderboard_snapshots` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`category` text NOT NULL,
	`style` text NOT NULL,
	`watermark` integer NOT NULL,
	`computed_at` integer NOT NULL,
	`rows` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `snapshots_category_style_watermark` ON `leaderboard_snapshots` (`category`,`style`,`watermark`);--> statement-breakpoint
CREATE TABLE `pair_counts` (
	`category` text NOT NULL,
	`model_a` text NOT NULL,
	`model_b` text NOT NULL,
	`wins_a` integer DEFAULT 0 NOT NULL,
	`wins_b` integer DEFAULT 0 NOT NULL,
	`ties` integer DEFAULT 0 NOT NULL,
	`both_bad` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`category`, `model_a`, `model_b`)
);
--> statement-breakpoint
CREATE TABLE `ranking_folds` (
	`from_seq` integer PRIMARY KEY NOT NULL,
	`to_seq` integer NOT NULL,
	`votes` integer NOT NULL,
	`folded_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `ranking_state` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`watermark` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `style_buckets` (
	`category` text NOT NULL,
	`model_a` text NOT NULL,
	`model_b` text NOT NULL,
	`bucket` text NOT NULL,
	`wins_a` integer DEFAULT 0 NOT NULL,
	`wins_b` integer DEFAULT 0 NOT NULL,
	`ties` integer DEFAULT 0 NOT NULL,
	`both_bad` integer DEFAULT 0 NOT NULL,
	`sum_tokens` real DEFAULT 0 NOT NULL,
	`sum_headers` real DEFAULT 0 NOT NULL,
	`sum_list_items` real DEFAULT 0 NOT NULL,
	`sum_bold` real DEFAULT 0 NOT NULL,
	`win_tokens` real DEFAULT 0 NOT NULL,
	`win_headers` real DEFAULT 0 NOT NULL,
	`win_list_items` real DEFAULT 0 NOT NULL,
	`win_bold` real DEFAULT 0 NOT NULL,
	`sq_tokens_tokens` real DEFAULT 0 NOT NULL,
	`sq_tokens_headers` real DEFAULT 0 NOT NULL,
	`sq_tokens_list_items` real DEFAULT 0 NOT NULL,
	`sq_tokens_bold` real DEFAULT 0 NOT NULL,
	`sq_headers_headers` real DEFAULT 0 NOT NULL,
	`sq_headers_list_items` real DEFAULT 0 NOT NULL,
	`sq_headers_bold` real DEFAULT 0 NOT NULL,
	`sq_list_items_list_items` real DEFAULT 0 NOT NULL,
	`sq_list_items_bold` real DEFAULT 0 NOT NULL,
	`sq_bold_bold` real DEFAULT 0 NOT NULL,
	PRIMARY KEY(`category`, `model_a`, `model_b`, `bucket`)
);
