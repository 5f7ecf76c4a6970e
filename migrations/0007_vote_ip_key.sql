ALTER TABLE `votes` ADD `ip_key` text;--> statement-breakpoint
CREATE INDEX `votes_ip_seq` ON `votes` (`ip_key`,`seq`);