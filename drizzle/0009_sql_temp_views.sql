CREATE TABLE "sql_temp_views" (
	"token_id" text NOT NULL,
	"name" text NOT NULL,
	"definition" text NOT NULL,
	"catalog" text NOT NULL,
	"schema" text NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "sql_temp_views_pkey" PRIMARY KEY("token_id","name")
);
--> statement-breakpoint
ALTER TABLE "sql_temp_views" ADD CONSTRAINT "sql_temp_views_token_id_fkey" FOREIGN KEY ("token_id") REFERENCES "public"."tokens"("token_id") ON DELETE cascade ON UPDATE no action;