CREATE TABLE "job_trigger_state" (
	"job_id" bigint PRIMARY KEY NOT NULL,
	"fingerprint" text NOT NULL,
	"seen" jsonb NOT NULL,
	"pending" jsonb NOT NULL,
	"last_change_at" bigint,
	"last_fired_at" bigint,
	"revision" integer NOT NULL
);
