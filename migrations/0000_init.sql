CREATE TABLE `battle_turns` (
	`battle_id` text NOT NULL,
	`turn` integer NOT NULL,
	`prompt` text NOT NULL,
	`response_a` text NOT NULL,
	`response_b` text,
	`status_a` text NOT NULL,
	`status_b` text,
	`finish_a` text,
	`finish_b` text,
	`error_a` text,
	`error_b` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`battle_id`) REFERENCES `battles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `battle_turns_pk` ON `battle_turns` (`battle_id`,`turn`);--> statement-breakpoint
CREATE TABLE `battles` (
	`id` text PRIMARY KEY NOT NULL,
	`mode` text NOT NULL,
	`modality` text DEFAULT 'text' NOT NULL,
	`model_a` text NOT NULL,
	`model_b` text,
	`session_id` text,
	`categories` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`model_a`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`model_b`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `battles_session` ON `battles` (`session_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `models` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`organization` text NOT NULL,
	`owner_id` text,
	`provider` text NOT NULL,
	`provider_model_id` text NOT NULL,
	`endpoint` text,
	`api_key_secret` text,
	`modality` text DEFAULT 'text' NOT NULL,
	`status` text DEFAULT 'active' NOT NULL,
	`sampling_weight` real DEFAULT 1 NOT NULL,
	`is_demo` integer DEFAULT false NOT NULL,
	`license` text,
	`released_at` integer,
	`retired_at` integer,
	`config_hash` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `models_status_modality` ON `models` (`status`,`modality`);--> statement-breakpoint
CREATE TABLE `votes` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`battle_id` text NOT NULL,
	`session_id` text,
	`mode` text NOT NULL,
	`model_a` text NOT NULL,
	`model_b` text NOT NULL,
	`winner` text NOT NULL,
	`counted` integer NOT NULL,
	`exclusion_reason` text,
	`categories` text NOT NULL,
	`turns` integer NOT NULL,
	`style_a` text NOT NULL,
	`style_b` text NOT NULL,
	`voted_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`battle_id`) REFERENCES `battles`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `votes_battle` ON `votes` (`battle_id`);--> statement-breakpoint
CREATE INDEX `votes_counted_seq` ON `votes` (`counted`,`seq`);