CREATE TABLE `sampling_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`model_id` text NOT NULL,
	`at` integer NOT NULL,
	`from_weight` real NOT NULL,
	`to_weight` real NOT NULL,
	`reason` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sampling_changes_at` ON `sampling_changes` (`at`);--> statement-breakpoint
CREATE INDEX `battles_created` ON `battles` (`created_at`);