CREATE TABLE "service_principal_rule_sets" (
	"service_principal_id" bigint PRIMARY KEY NOT NULL,
	"grant_rules" jsonb NOT NULL,
	"version" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "service_principal_rule_sets" ADD CONSTRAINT "service_principal_rule_sets_sp_fkey" FOREIGN KEY ("service_principal_id") REFERENCES "public"."principals"("id") ON DELETE cascade ON UPDATE no action;