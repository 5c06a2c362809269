CREATE TABLE "cluster_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"cluster_id" text NOT NULL,
	"timestamp" bigint NOT NULL,
	"type" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workspace_identity" (
	"singleton" text PRIMARY KEY DEFAULT 'workspace' NOT NULL,
	"workspace_id" text NOT NULL,
	"account_id" text NOT NULL,
	"cluster_id" text NOT NULL,
	"warehouse_id" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "repos" (
	"id" bigint PRIMARY KEY NOT NULL,
	"path" text NOT NULL,
	"url" text NOT NULL,
	"provider" text NOT NULL,
	"branch" text,
	"head_commit_id" text NOT NULL,
	"created_by" bigint NOT NULL,
	CONSTRAINT "repos_path_key" UNIQUE("path")
);
--> statement-breakpoint
CREATE TABLE "job_trigger_state" (
	"job_id" bigint PRIMARY KEY NOT NULL,
	"fingerprint" text NOT NULL,
	"seen" jsonb NOT NULL,
	"pending" jsonb NOT NULL,
	"last_change_at" bigint,
	"last_fired_at" bigint,
	"revision" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workspace_conf" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" bigint NOT NULL,
	"updated_by" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "sql_statements" ADD COLUMN "statement_text" text;--> statement-breakpoint
CREATE INDEX "cluster_events_cluster_time" ON "cluster_events" USING btree ("cluster_id","timestamp");--> statement-breakpoint
CREATE INDEX "sql_statements_history" ON "sql_statements" USING btree ("created_at","statement_id");