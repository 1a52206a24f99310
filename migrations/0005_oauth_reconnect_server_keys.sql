CREATE TABLE "server_keys" (
	"purpose" text PRIMARY KEY NOT NULL,
	"sealed" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resealed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "channel_authorizations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"network" text NOT NULL,
	"state_hash" text NOT NULL,
	"secrets" text NOT NULL,
	"redirect_uri" text NOT NULL,
	"service_url" text,
	"channel_id" uuid,
	"reconnect_link_id" uuid,
	"started_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "channel_reconnect_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"channel_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"sent_to" text,
	"created_by" uuid,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "channel_authorizations" ADD CONSTRAINT "channel_authorizations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_authorizations" ADD CONSTRAINT "channel_authorizations_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_authorizations" ADD CONSTRAINT "channel_authorizations_reconnect_link_id_channel_reconnect_links_id_fk" FOREIGN KEY ("reconnect_link_id") REFERENCES "public"."channel_reconnect_links"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_authorizations" ADD CONSTRAINT "channel_authorizations_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_reconnect_links" ADD CONSTRAINT "channel_reconnect_links_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_reconnect_links" ADD CONSTRAINT "channel_reconnect_links_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "channel_authorizations_state" ON "channel_authorizations" USING btree ("state_hash");--> statement-breakpoint
CREATE UNIQUE INDEX "channel_reconnect_links_token" ON "channel_reconnect_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "channel_reconnect_links_channel" ON "channel_reconnect_links" USING btree ("channel_id");