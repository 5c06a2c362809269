CREATE TABLE "dataset_sync_steps" (
	"dataset_id" text NOT NULL,
	"step" text NOT NULL,
	"content_hash" text NOT NULL,
	"result" jsonb NOT NULL,
	"completed_at" bigint NOT NULL,
	"attempt" integer NOT NULL,
	CONSTRAINT "dataset_sync_steps_pkey" PRIMARY KEY("dataset_id","step")
);
--> statement-breakpoint
CREATE TABLE "datasets" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"tenant" text NOT NULL,
	"owner_user_name" text NOT NULL,
	"file_name" text NOT NULL,
	"source_format" text NOT NULL,
	"row_count" bigint NOT NULL,
	"size_bytes" bigint NOT NULL,
	"content_hash" text NOT NULL,
	"columns" jsonb NOT NULL,
	"created_at" bigint NOT NULL,
	"databricks_enabled" boolean DEFAULT false NOT NULL,
	"sync_status" text NOT NULL,
	"target_catalog" text,
	"sync_generation" integer DEFAULT 0 NOT NULL,
	"sync_attempt" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 3 NOT NULL,
	"retry_interval_ms" bigint DEFAULT 300000 NOT NULL,
	"next_attempt_at" bigint,
	"current_step" text,
	"lease_owner" text,
	"lease_expires_at" bigint,
	"bronze_table" text,
	"bronze_kind" text,
	"silver_table" text,
	"last_sync_at" bigint,
	"last_sync_error" text,
	"row_count_databricks" bigint,
	"row_count_silver" bigint
);
--> statement-breakpoint
ALTER TABLE "dataset_sync_steps" ADD CONSTRAINT "dataset_sync_steps_dataset_fkey" FOREIGN KEY ("dataset_id") REFERENCES "public"."datasets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "datasets_owner" ON "datasets" USING btree ("owner_user_name");--> statement-breakpoint
CREATE INDEX "datasets_sync_status" ON "datasets" USING btree ("sync_status");