CREATE TABLE `model_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`model_id` text NOT NULL,
	`lab_id` text,
	`kind` text NOT NULL,
	`at` integer NOT NULL,
	`detail` text NOT NULL,
	FOREIGN KEY (`model_id`) REFERENCES `models`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lab_id`) REFERENCES `labs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `model_events_at` ON `model_events` (`at`);--> statement-breakpoint
CREATE INDEX `model_events_model` ON `model_events` (`model_id`);--> statement-breakpoint
CREATE TABLE `webhook_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`delivery_id` text NOT NULL,
	`attempt` integer NOT NULL,
	`at` integer NOT NULL,
	`http_status` integer,
	`latency_ms` integer NOT NULL,
	`error` text,
	`manual` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`delivery_id`) REFERENCES `webhook_deliveries`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `webhook_attempts_delivery` ON `webhook_attempts` (`delivery_id`,`attempt`);--> statement-breakpoint
CREATE TABLE `webhook_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`webhook_id` text NOT NULL,
	`lab_id` text NOT NULL,
	`event_type` text NOT NULL,
	`payload` text NOT NULL,
	`status` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`delivered_at` integer,
	FOREIGN KEY (`webhook_id`) REFERENCES `webhooks`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`lab_id`) REFERENCES `labs`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `webhook_deliveries_webhook` ON `webhook_deliveries` (`webhook_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `models` ADD `codename` text;--> statement-breakpoint
ALTER TABLE `models` ADD `api_key_sealed` text;--> statement-breakpoint
ALTER TABLE `models` ADD `price_input` real;--> statement-breakpoint
ALTER TABLE `models` ADD `price_output` real;--> statement-breakpoint
ALTER TABLE `models` ADD `context_length` integer;--> statement-breakpoint
ALTER TABLE `models` ADD `votes_at_release` integer;--> statement-breakpoint
ALTER TABLE `models` ADD `withdrawn_at` integer;--> statement-breakpoint
ALTER TABLE `models` ADD `retire_reason` text;--> statement-breakpoint
ALTER TABLE `models` ADD `disclosed_at` integer;--> statement-breakpoint
CREATE INDEX `models_owner` ON `models` (`owner_id`);