CREATE TABLE "alert_deliveries" (
	"alert_id" uuid NOT NULL,
	"destination_id" uuid NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "alert_deliveries_alert_id_destination_id_pk" PRIMARY KEY("alert_id","destination_id")
);
--> statement-breakpoint
CREATE TABLE "alert_destinations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"target" text NOT NULL,
	"signing_secret" text,
	"kinds" text[] DEFAULT '{}' NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "impostor_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"network" text NOT NULL,
	"handle" text NOT NULL,
	"display_name" text,
	"profile_url" text,
	"imitates_channel_id" uuid,
	"score" real NOT NULL,
	"evidence" jsonb NOT NULL,
	"status" text DEFAULT 'new' NOT NULL,
	"status_by" uuid,
	"status_at" timestamp with time zone,
	"first_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "listening_alerts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"stream_id" uuid,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"evidence" jsonb NOT NULL,
	"window_start" timestamp with time zone NOT NULL,
	"window_end" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"status_by" uuid,
	"status_at" timestamp with time zone,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "listening_sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"channel_id" uuid,
	"url" text,
	"name" text NOT NULL,
	"cursor" text,
	"last_item_at" timestamp with time zone,
	"last_handled_at" timestamp with time zone,
	"state" text DEFAULT 'running' NOT NULL,
	"last_error" text,
	"shed_count" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"stopped_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "listening_streams" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"name" text NOT NULL,
	"query" text NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"spike_sensitivity" text DEFAULT 'medium' NOT NULL,
	"negative_alerts" boolean DEFAULT true NOT NULL,
	"critical_terms" text[] DEFAULT '{}' NOT NULL,
	"cooldown_minutes" integer DEFAULT 60 NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "mention_matches" (
	"stream_id" uuid NOT NULL,
	"mention_id" bigint NOT NULL,
	"posted_at" timestamp with time zone NOT NULL,
	CONSTRAINT "mention_matches_stream_id_mention_id_pk" PRIMARY KEY("stream_id","mention_id")
);
--> statement-breakpoint
CREATE TABLE "mentions" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"source_id" uuid,
	"network" text NOT NULL,
	"network_post_id" text NOT NULL,
	"url" text,
	"author_handle" text NOT NULL,
	"author_name" text,
	"text" text NOT NULL,
	"lang" text NOT NULL,
	"lang_source" text NOT NULL,
	"sentiment" text NOT NULL,
	"sentiment_score" real NOT NULL,
	"sentiment_corrected" boolean DEFAULT false NOT NULL,
	"fingerprint" bigint NOT NULL,
	"near_duplicate" boolean DEFAULT false NOT NULL,
	"posted_at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone NOT NULL,
	"stored_at" timestamp with time zone DEFAULT now() NOT NULL,
	"corrected_by" uuid
);
--> statement-breakpoint
CREATE TABLE "stream_minute_counts" (
	"stream_id" uuid NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"negative" integer DEFAULT 0 NOT NULL,
	"neutral" integer DEFAULT 0 NOT NULL,
	"positive" integer DEFAULT 0 NOT NULL,
	"near_duplicates" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "stream_minute_counts_stream_id_minute_pk" PRIMARY KEY("stream_id","minute")
);
--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_alert_id_listening_alerts_id_fk" FOREIGN KEY ("alert_id") REFERENCES "public"."listening_alerts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_deliveries" ADD CONSTRAINT "alert_deliveries_destination_id_alert_destinations_id_fk" FOREIGN KEY ("destination_id") REFERENCES "public"."alert_destinations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_destinations" ADD CONSTRAINT "alert_destinations_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alert_destinations" ADD CONSTRAINT "alert_destinations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "impostor_accounts" ADD CONSTRAINT "impostor_accounts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "impostor_accounts" ADD CONSTRAINT "impostor_accounts_imitates_channel_id_channels_id_fk" FOREIGN KEY ("imitates_channel_id") REFERENCES "public"."channels"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "impostor_accounts" ADD CONSTRAINT "impostor_accounts_status_by_users_id_fk" FOREIGN KEY ("status_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listening_alerts" ADD CONSTRAINT "listening_alerts_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listening_alerts" ADD CONSTRAINT "listening_alerts_stream_id_listening_streams_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."listening_streams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listening_alerts" ADD CONSTRAINT "listening_alerts_status_by_users_id_fk" FOREIGN KEY ("status_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listening_sources" ADD CONSTRAINT "listening_sources_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listening_sources" ADD CONSTRAINT "listening_sources_channel_id_channels_id_fk" FOREIGN KEY ("channel_id") REFERENCES "public"."channels"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listening_streams" ADD CONSTRAINT "listening_streams_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "listening_streams" ADD CONSTRAINT "listening_streams_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mention_matches" ADD CONSTRAINT "mention_matches_stream_id_listening_streams_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."listening_streams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mention_matches" ADD CONSTRAINT "mention_matches_mention_id_mentions_id_fk" FOREIGN KEY ("mention_id") REFERENCES "public"."mentions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentions" ADD CONSTRAINT "mentions_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentions" ADD CONSTRAINT "mentions_source_id_listening_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."listening_sources"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mentions" ADD CONSTRAINT "mentions_corrected_by_users_id_fk" FOREIGN KEY ("corrected_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "stream_minute_counts" ADD CONSTRAINT "stream_minute_counts_stream_id_listening_streams_id_fk" FOREIGN KEY ("stream_id") REFERENCES "public"."listening_streams"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "alert_deliveries_due" ON "alert_deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE INDEX "alert_destinations_workspace" ON "alert_destinations" USING btree ("workspace_id");--> statement-breakpoint
CREATE UNIQUE INDEX "impostor_accounts_handle" ON "impostor_accounts" USING btree ("workspace_id","network","handle");--> statement-breakpoint
CREATE INDEX "listening_alerts_workspace" ON "listening_alerts" USING btree ("workspace_id","raised_at");--> statement-breakpoint
CREATE INDEX "listening_alerts_stream_kind" ON "listening_alerts" USING btree ("stream_id","kind","raised_at");--> statement-breakpoint
CREATE INDEX "listening_sources_workspace" ON "listening_sources" USING btree ("workspace_id");--> statement-breakpoint
CREATE INDEX "listening_streams_workspace" ON "listening_streams" USING btree ("workspace_id","archived_at");--> statement-breakpoint
CREATE INDEX "mention_matches_stream_posted" ON "mention_matches" USING btree ("stream_id","posted_at");--> statement-breakpoint
CREATE UNIQUE INDEX "mentions_network_post" ON "mentions" USING btree ("workspace_id","network","network_post_id");--> statement-breakpoint
CREATE INDEX "mentions_workspace_posted" ON "mentions" USING btree ("workspace_id","posted_at");