CREATE TABLE "channel_grants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"channel_id" uuid NOT NULL,
	"user_id" uuid,
	"team_id" uuid,
	"level" text NOT NULL,
	"granted_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "channel_grants_one_subject" CHECK (("channel_grants"."user_id" is null) <> ("channel_grants"."team_id" is null)),
	CONSTRAINT "channel_grants_level" CHECK ("channel_grants"."level" in ('read', 'approval_required', 'reply', 'publish'))
);
--> statement-breakpoint
ALTER TABLE "channel_grants" ADD CONSTRAINT "channel_grants_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_grants" ADD CONSTRAINT "channel_grants_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_grants" ADD CONSTRAINT "channel_grants_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_grants" ADD CONSTRAINT "channel_grants_team_id_teams_id_fk" FOREIGN KEY ("team_id") REFERENCES "public"."teams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_grants" ADD CONSTRAINT "channel_grants_granted_by_users_id_fk" FOREIGN KEY ("granted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "channel_grants_person" ON "channel_grants" USING btree ("channel_id","user_id") WHERE "channel_grants"."user_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "channel_grants_team" ON "channel_grants" USING btree ("channel_id","team_id") WHERE "channel_grants"."team_id" is not null;--> statement-breakpoint
CREATE INDEX "channel_grants_workspace" ON "channel_grants" USING btree ("workspace_id");