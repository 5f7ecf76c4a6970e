CREATE TABLE `audit_folds` (
	`from_seq` integer PRIMARY KEY NOT NULL,
	`to_seq` integer NOT NULL,
	`votes` integer NOT NULL,
	`folded_at` integer NOT NULL
);
