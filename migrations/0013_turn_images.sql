ALTER TABLE `battle_turns` ADD `attachments` text;--> statement-breakpoint
ALTER TABLE `battle_turns` ADD `images_a` text;--> statement-breakpoint
ALTER TABLE `battle_turns` ADD `images_b` text;