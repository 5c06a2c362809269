CREATE TABLE "dbfs_streams" (
	"handle" bigint PRIMARY KEY NOT NULL,
	"principal_id" bigint NOT NULL,
	"path" text NOT NULL,
	"overwrite" boolean NOT NULL,
	"size" bigint NOT NULL,
	"last_used" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dbfs_streams" ADD CONSTRAINT "dbfs_streams_principal_fkey" FOREIGN KEY ("principal_id") REFERENCES "public"."principals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dbfs_streams_principal_idx" ON "dbfs_streams" USING btree ("principal_id");