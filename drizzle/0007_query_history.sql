ALTER TABLE "sql_statements" ADD COLUMN "statement_text" text;--> statement-breakpoint
CREATE INDEX "sql_statements_history" ON "sql_statements" USING btree ("created_at","statement_id");