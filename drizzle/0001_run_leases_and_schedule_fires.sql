CREATE TABLE "job_schedule_fires" (
	"job_id" bigint PRIMARY KEY NOT NULL,
	"last_fire_time" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "task_runs" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "task_runs" ADD COLUMN "lease_expires_at" bigint;--> statement-breakpoint
CREATE INDEX "task_runs_executing" ON "task_runs" USING btree ("life_cycle_state") WHERE "task_runs"."life_cycle_state" IN ('RUNNING', 'TERMINATING', 'WAITING_FOR_RETRY');