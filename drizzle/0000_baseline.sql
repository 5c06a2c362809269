CREATE SEQUENCE "public"."brickyard_object_id" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 100 CACHE 1;--> statement-breakpoint
CREATE TABLE "group_members" (
	"group_id" bigint NOT NULL,
	"member_id" bigint NOT NULL,
	CONSTRAINT "group_members_pkey" PRIMARY KEY("group_id","member_id")
);
--> statement-breakpoint
CREATE TABLE "principals" (
	"id" bigint PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"display_name" text,
	"external_id" text,
	"active" boolean DEFAULT true NOT NULL,
	"attrs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "tokens" (
	"token_id" text PRIMARY KEY NOT NULL,
	"principal_id" bigint NOT NULL,
	"token_hash" text NOT NULL,
	"comment" text,
	"created_at" bigint NOT NULL,
	"expiry_time" bigint NOT NULL,
	"created_by_id" bigint,
	CONSTRAINT "tokens_token_hash_key" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"job_id" bigint PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"settings" jsonb NOT NULL,
	"shape" text NOT NULL,
	"creator_user_name" text NOT NULL,
	"run_as_user_name" text NOT NULL,
	"created_time" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "job_runs" (
	"run_id" bigint PRIMARY KEY NOT NULL,
	"job_id" bigint NOT NULL,
	"run_name" text NOT NULL,
	"run_type" text NOT NULL,
	"trigger" text NOT NULL,
	"creator_user_name" text NOT NULL,
	"run_as_user_name" text NOT NULL,
	"settings" jsonb NOT NULL,
	"job_parameters" jsonb,
	"overriding_parameters" jsonb,
	"life_cycle_state" text NOT NULL,
	"result_state" text,
	"state_message" text DEFAULT '' NOT NULL,
	"user_cancelled_or_timedout" boolean DEFAULT false NOT NULL,
	"termination_code" text,
	"termination_type" text,
	"queue_code" text,
	"queue_message" text,
	"stop_reason" text,
	"idempotency_token" text,
	"parent_task_run_id" bigint,
	"start_time" bigint NOT NULL,
	"run_start_time" bigint DEFAULT 0 NOT NULL,
	"end_time" bigint DEFAULT 0 NOT NULL,
	"repairs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"original_outcome" jsonb,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "outbox" (
	"id" bigint PRIMARY KEY NOT NULL,
	"created_at" bigint NOT NULL,
	"kind" text NOT NULL,
	"event" text NOT NULL,
	"recipients" jsonb NOT NULL,
	"subject" text NOT NULL,
	"body" text NOT NULL,
	"job_id" bigint,
	"run_id" bigint,
	"task_key" text,
	"delivery_status" text DEFAULT 'outbox_only' NOT NULL,
	"delivery_attempts" integer DEFAULT 0 NOT NULL,
	"delivery_error" text,
	"delivered_at" bigint
);
--> statement-breakpoint
CREATE TABLE "task_runs" (
	"run_id" bigint PRIMARY KEY NOT NULL,
	"parent_run_id" bigint NOT NULL,
	"task_key" text NOT NULL,
	"attempt_number" integer NOT NULL,
	"repair_id" bigint,
	"superseded" boolean DEFAULT false NOT NULL,
	"task" jsonb NOT NULL,
	"life_cycle_state" text NOT NULL,
	"result_state" text,
	"state_message" text DEFAULT '' NOT NULL,
	"user_cancelled_or_timedout" boolean DEFAULT false NOT NULL,
	"termination_code" text,
	"termination_type" text,
	"start_time" bigint DEFAULT 0 NOT NULL,
	"exec_start_time" bigint DEFAULT 0 NOT NULL,
	"exec_end_time" bigint DEFAULT 0 NOT NULL,
	"end_time" bigint DEFAULT 0 NOT NULL,
	"retry_at" bigint,
	"resolved" jsonb,
	"notebook_result" text,
	"result_truncated" boolean DEFAULT false NOT NULL,
	"logs" text,
	"logs_truncated" boolean DEFAULT false NOT NULL,
	"error" text,
	"error_trace" text,
	"task_values" jsonb,
	"outcome" text,
	"child_run_id" bigint,
	"pid" integer,
	"token_id" text
);
--> statement-breakpoint
CREATE TABLE "secret_acls" (
	"scope" text NOT NULL,
	"principal" text NOT NULL,
	"permission" text NOT NULL,
	CONSTRAINT "secret_acls_pkey" PRIMARY KEY("scope","principal")
);
--> statement-breakpoint
CREATE TABLE "secret_scopes" (
	"name" text PRIMARY KEY NOT NULL,
	"backend_type" text NOT NULL,
	"creator_user_name" text NOT NULL,
	"created_time" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "secrets" (
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"value" "bytea" NOT NULL,
	"last_updated_timestamp" bigint NOT NULL,
	CONSTRAINT "secrets_pkey" PRIMARY KEY("scope","key")
);
--> statement-breakpoint
CREATE TABLE "sql_statement_chunks" (
	"statement_id" text NOT NULL,
	"chunk_index" integer NOT NULL,
	"row_offset" bigint NOT NULL,
	"row_count" integer NOT NULL,
	"data" text NOT NULL,
	CONSTRAINT "sql_statement_chunks_pkey" PRIMARY KEY("statement_id","chunk_index")
);
--> statement-breakpoint
CREATE TABLE "sql_statements" (
	"statement_id" text PRIMARY KEY NOT NULL,
	"warehouse_id" text NOT NULL,
	"principal_id" bigint NOT NULL,
	"state" text NOT NULL,
	"error_code" text,
	"error_message" text,
	"sql_state" text,
	"manifest" jsonb,
	"created_at" bigint NOT NULL,
	"finished_at" bigint,
	"expires_at" bigint NOT NULL,
	"owner_key" text
);
--> statement-breakpoint
CREATE TABLE "uc_catalogs" (
	"name" text PRIMARY KEY NOT NULL,
	"id" text NOT NULL,
	"properties" jsonb,
	"storage_root" text,
	"owner" text NOT NULL,
	"comment" text,
	"created_at" bigint NOT NULL,
	"created_by" text NOT NULL,
	"updated_at" bigint NOT NULL,
	"updated_by" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "uc_grants" (
	"securable_type" text NOT NULL,
	"securable_name" text NOT NULL,
	"principal" text NOT NULL,
	"privilege" text NOT NULL,
	CONSTRAINT "uc_grants_pkey" PRIMARY KEY("securable_type","securable_name","principal","privilege")
);
--> statement-breakpoint
CREATE TABLE "uc_metastore" (
	"metastore_id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"owner" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "uc_schemas" (
	"catalog_name" text NOT NULL,
	"name" text NOT NULL,
	"schema_id" text NOT NULL,
	"properties" jsonb,
	"storage_root" text,
	"owner" text NOT NULL,
	"comment" text,
	"created_at" bigint NOT NULL,
	"created_by" text NOT NULL,
	"updated_at" bigint NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "uc_schemas_pkey" PRIMARY KEY("catalog_name","name")
);
--> statement-breakpoint
CREATE TABLE "uc_tables" (
	"catalog_name" text NOT NULL,
	"schema_name" text NOT NULL,
	"name" text NOT NULL,
	"table_id" text NOT NULL,
	"table_type" text NOT NULL,
	"data_source_format" text NOT NULL,
	"columns" jsonb NOT NULL,
	"storage_location" text NOT NULL,
	"properties" jsonb,
	"view_definition" text,
	"version" integer NOT NULL,
	"data_files" jsonb NOT NULL,
	"owner" text NOT NULL,
	"comment" text,
	"created_at" bigint NOT NULL,
	"created_by" text NOT NULL,
	"updated_at" bigint NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "uc_tables_pkey" PRIMARY KEY("catalog_name","schema_name","name"),
	CONSTRAINT "uc_tables_table_id_key" UNIQUE("table_id")
);
--> statement-breakpoint
CREATE TABLE "uc_volumes" (
	"catalog_name" text NOT NULL,
	"schema_name" text NOT NULL,
	"name" text NOT NULL,
	"volume_id" text NOT NULL,
	"volume_type" text NOT NULL,
	"storage_location" text NOT NULL,
	"owner" text NOT NULL,
	"comment" text,
	"created_at" bigint NOT NULL,
	"created_by" text NOT NULL,
	"updated_at" bigint NOT NULL,
	"updated_by" text NOT NULL,
	CONSTRAINT "uc_volumes_pkey" PRIMARY KEY("catalog_name","schema_name","name"),
	CONSTRAINT "uc_volumes_volume_id_key" UNIQUE("volume_id")
);
--> statement-breakpoint
CREATE TABLE "workspace_objects" (
	"id" bigint PRIMARY KEY NOT NULL,
	"path" text NOT NULL,
	"parent_path" text,
	"object_type" text NOT NULL,
	"language" text,
	"stored_format" text,
	"content" "bytea",
	"size" bigint,
	"created_at" bigint NOT NULL,
	"modified_at" bigint NOT NULL,
	CONSTRAINT "workspace_objects_path_key" UNIQUE("path"),
	CONSTRAINT "workspace_objects_object_type_check" CHECK ("workspace_objects"."object_type" IN ('DIRECTORY', 'NOTEBOOK', 'FILE'))
);
--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_group_id_fkey" FOREIGN KEY ("group_id") REFERENCES "public"."principals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "group_members" ADD CONSTRAINT "group_members_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "public"."principals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_principal_id_fkey" FOREIGN KEY ("principal_id") REFERENCES "public"."principals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tokens" ADD CONSTRAINT "tokens_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "public"."principals"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "task_runs" ADD CONSTRAINT "task_runs_parent_run_id_fkey" FOREIGN KEY ("parent_run_id") REFERENCES "public"."job_runs"("run_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "secret_acls" ADD CONSTRAINT "secret_acls_scope_fkey" FOREIGN KEY ("scope") REFERENCES "public"."secret_scopes"("name") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "secrets" ADD CONSTRAINT "secrets_scope_fkey" FOREIGN KEY ("scope") REFERENCES "public"."secret_scopes"("name") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sql_statement_chunks" ADD CONSTRAINT "sql_statement_chunks_statement_id_fkey" FOREIGN KEY ("statement_id") REFERENCES "public"."sql_statements"("statement_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uc_schemas" ADD CONSTRAINT "uc_schemas_catalog_name_fkey" FOREIGN KEY ("catalog_name") REFERENCES "public"."uc_catalogs"("name") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "uc_tables" ADD CONSTRAINT "uc_tables_catalog_name_schema_name_fkey" FOREIGN KEY ("catalog_name","schema_name") REFERENCES "public"."uc_schemas"("catalog_name","name") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "uc_volumes" ADD CONSTRAINT "uc_volumes_catalog_name_schema_name_fkey" FOREIGN KEY ("catalog_name","schema_name") REFERENCES "public"."uc_schemas"("catalog_name","name") ON DELETE cascade ON UPDATE cascade;--> statement-breakpoint
ALTER TABLE "workspace_objects" ADD CONSTRAINT "workspace_objects_parent_path_fkey" FOREIGN KEY ("parent_path") REFERENCES "public"."workspace_objects"("path") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "group_members_member" ON "group_members" USING btree ("member_id");--> statement-breakpoint
CREATE UNIQUE INDEX "principals_kind_name" ON "principals" USING btree ("kind",lower("name"));--> statement-breakpoint
CREATE INDEX "jobs_name_lower" ON "jobs" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "jobs_scheduled" ON "jobs" USING btree ("job_id") WHERE "jobs"."settings" ? 'schedule';--> statement-breakpoint
CREATE INDEX "job_runs_job" ON "job_runs" USING btree ("job_id","start_time" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "job_runs_start" ON "job_runs" USING btree ("start_time" DESC NULLS FIRST,"run_id" DESC NULLS FIRST);--> statement-breakpoint
CREATE UNIQUE INDEX "job_runs_idempotency" ON "job_runs" USING btree ("idempotency_token") WHERE "job_runs"."idempotency_token" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "job_runs_active" ON "job_runs" USING btree ("life_cycle_state") WHERE "job_runs"."end_time" = 0;--> statement-breakpoint
CREATE INDEX "outbox_created" ON "outbox" USING btree ("created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "outbox_pending" ON "outbox" USING btree ("id") WHERE "outbox"."delivery_status" = 'pending';--> statement-breakpoint
CREATE INDEX "task_runs_parent" ON "task_runs" USING btree ("parent_run_id","task_key","attempt_number");--> statement-breakpoint
CREATE INDEX "task_runs_child" ON "task_runs" USING btree ("child_run_id") WHERE "task_runs"."child_run_id" IS NOT NULL;--> statement-breakpoint
CREATE INDEX "sql_statements_expires" ON "sql_statements" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "workspace_objects_parent" ON "workspace_objects" USING btree ("parent_path");