CREATE TABLE "workspace_conf" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" bigint NOT NULL,
	"updated_by" bigint NOT NULL
);
