CREATE TABLE "uc_copy_into_loads" (
	"table_id" text NOT NULL,
	"path" text NOT NULL,
	"size" bigint NOT NULL,
	"modified_at" bigint NOT NULL,
	"version" integer NOT NULL,
	CONSTRAINT "uc_copy_into_loads_pkey" PRIMARY KEY("table_id","path","size","modified_at")
);
--> statement-breakpoint
CREATE TABLE "uc_table_history" (
	"table_id" text NOT NULL,
	"version" integer NOT NULL,
	"timestamp" bigint NOT NULL,
	"user_id" text NOT NULL,
	"user_name" text NOT NULL,
	"operation" text NOT NULL,
	"operation_parameters" jsonb NOT NULL,
	"operation_metrics" jsonb NOT NULL,
	"read_version" integer,
	"is_blind_append" boolean NOT NULL,
	"metadata_changed" boolean NOT NULL,
	"added_files" jsonb NOT NULL,
	"removed_files" jsonb NOT NULL,
	CONSTRAINT "uc_table_history_pkey" PRIMARY KEY("table_id","version")
);
--> statement-breakpoint
ALTER TABLE "uc_copy_into_loads" ADD CONSTRAINT "uc_copy_into_loads_table_id_fkey" FOREIGN KEY ("table_id") REFERENCES "public"."uc_tables"("table_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "uc_table_history" ADD CONSTRAINT "uc_table_history_table_id_fkey" FOREIGN KEY ("table_id") REFERENCES "public"."uc_tables"("table_id") ON DELETE cascade ON UPDATE no action;