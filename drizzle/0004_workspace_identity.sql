CREATE TABLE "workspace_identity" (
	"singleton" text PRIMARY KEY DEFAULT 'workspace' NOT NULL,
	"workspace_id" text NOT NULL,
	"account_id" text NOT NULL,
	"cluster_id" text NOT NULL,
	"warehouse_id" text NOT NULL,
	"created_at" bigint NOT NULL
);
