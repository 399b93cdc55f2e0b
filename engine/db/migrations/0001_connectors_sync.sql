CREATE TABLE `connectors` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`config` text NOT NULL,
	`secrets` text NOT NULL,
	`schedule_minutes` integer DEFAULT 0 NOT NULL,
	`cursor` text DEFAULT '{"since":null,"afterId":null}' NOT NULL,
	`last_sync_at` text,
	`last_sync_run_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `feedback` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`prediction_id` integer NOT NULL,
	`checkpoint_id` integer,
	`field` text NOT NULL,
	`predicted` text,
	`final` text NOT NULL,
	`correct` integer NOT NULL,
	`confidence` real NOT NULL,
	`applied` integer NOT NULL,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`prediction_id`) REFERENCES `predictions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `feedback_tenant` ON `feedback` (`tenant_id`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `feedback_prediction_field` ON `feedback` (`prediction_id`,`field`);--> statement-breakpoint
CREATE TABLE `model_flags` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`tenant_id` text NOT NULL,
	`checkpoint_id` integer NOT NULL,
	`field` text NOT NULL,
	`change` text NOT NULL,
	`value` text NOT NULL,
	`detail` text NOT NULL,
	`run_id` integer,
	`created_at` text DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`checkpoint_id`) REFERENCES `checkpoints`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `model_flags_checkpoint` ON `model_flags` (`checkpoint_id`);--> statement-breakpoint
ALTER TABLE `predictions` ADD `ticket_id` integer REFERENCES tickets(id);--> statement-breakpoint
ALTER TABLE `predictions` ADD `source` text DEFAULT 'api' NOT NULL;--> statement-breakpoint
ALTER TABLE `predictions` ADD `apply_status` text;--> statement-breakpoint
ALTER TABLE `predictions` ADD `applied` text;--> statement-breakpoint
ALTER TABLE `predictions` ADD `scored_at` text;--> statement-breakpoint
CREATE UNIQUE INDEX `predictions_sync_ticket` ON `predictions` (`ticket_id`) WHERE source = 'sync';--> statement-breakpoint
ALTER TABLE `tenants` ADD `triage` text DEFAULT '{}' NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `source` text DEFAULT 'upload' NOT NULL;--> statement-breakpoint
ALTER TABLE `tickets` ADD `opened_at` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `source_updated_at` text;--> statement-breakpoint
ALTER TABLE `tickets` ADD `completed` integer DEFAULT true NOT NULL;