CREATE TABLE "sandbox_scenario_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"scenario" text NOT NULL,
	"run" text NOT NULL,
	"tick_every_seconds" integer NOT NULL,
	"ticks_played" integer DEFAULT 0 NOT NULL,
	"items_added" integer DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"started_by" uuid,
	"next_tick_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"stopped_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "sandbox_scenario_runs_due" ON "sandbox_scenario_runs" USING btree ("next_tick_at");