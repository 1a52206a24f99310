CREATE TABLE "crisis_notices" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"crisis_id" uuid NOT NULL,
	"mode_id" uuid NOT NULL,
	"destination_id" uuid NOT NULL,
	"message" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "crisis_notices" ADD CONSTRAINT "crisis_notices_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_notices" ADD CONSTRAINT "crisis_notices_crisis_id_crises_id_fk" FOREIGN KEY ("crisis_id") REFERENCES "public"."crises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_notices" ADD CONSTRAINT "crisis_notices_mode_id_crisis_modes_id_fk" FOREIGN KEY ("mode_id") REFERENCES "public"."crisis_modes"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_notices" ADD CONSTRAINT "crisis_notices_destination_id_alert_destinations_id_fk" FOREIGN KEY ("destination_id") REFERENCES "public"."alert_destinations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "crisis_notices_mode_destination" ON "crisis_notices" USING btree ("mode_id","destination_id");--> statement-breakpoint
CREATE INDEX "crisis_notices_due" ON "crisis_notices" USING btree ("status","next_attempt_at");