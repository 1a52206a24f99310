CREATE TABLE "crises" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"number" integer NOT NULL,
	"title" text NOT NULL,
	"summary" text DEFAULT '' NOT NULL,
	"plan_id" uuid,
	"plan_version" integer,
	"scenario" text NOT NULL,
	"severity_level" integer NOT NULL,
	"status" text NOT NULL,
	"is_drill" boolean DEFAULT false NOT NULL,
	"origin_kind" text NOT NULL,
	"origin_alert_id" uuid,
	"origin_ref" text,
	"declared_by" uuid,
	"detected_at" timestamp with time zone,
	"declared_at" timestamp with time zone NOT NULL,
	"activated_at" timestamp with time zone,
	"stable_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"cancelled_at" timestamp with time zone,
	"merged_into_id" uuid,
	"first_public_response_at" timestamp with time zone,
	"resolution" text,
	"next_internal_update_due_at" timestamp with time zone,
	"next_public_update_due_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crisis_drills" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"plan_id" uuid,
	"crisis_id" uuid,
	"sandbox_scenario" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"injects" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"score" jsonb,
	"debrief" text DEFAULT '' NOT NULL,
	"started_by" uuid,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "crisis_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"crisis_id" uuid NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"type" text NOT NULL,
	"actor_id" uuid,
	"actor_label" text NOT NULL,
	"text" text DEFAULT '' NOT NULL,
	"data" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"pinned" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crisis_held_posts" (
	"crisis_id" uuid NOT NULL,
	"post_target_id" uuid NOT NULL,
	"previous_due_at" timestamp with time zone,
	"decision" text DEFAULT 'pending' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	CONSTRAINT "crisis_held_posts_crisis_id_post_target_id_pk" PRIMARY KEY("crisis_id","post_target_id")
);
--> statement-breakpoint
CREATE TABLE "crisis_modes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"crisis_id" uuid NOT NULL,
	"pause" boolean NOT NULL,
	"pause_channel_ids" uuid[],
	"pause_id" uuid,
	"lockdown" boolean NOT NULL,
	"secured" jsonb,
	"notified" jsonb,
	"reason" text NOT NULL,
	"activated_by" uuid,
	"activated_at" timestamp with time zone NOT NULL,
	"ended_by" uuid,
	"ended_at" timestamp with time zone,
	"kept_on_close" boolean DEFAULT false NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crisis_plan_versions" (
	"plan_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"content" jsonb NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"note" text,
	CONSTRAINT "crisis_plan_versions_plan_id_version_pk" PRIMARY KEY("plan_id","version")
);
--> statement-breakpoint
CREATE TABLE "crisis_plans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"scenario" text NOT NULL,
	"name" text NOT NULL,
	"current_version" integer DEFAULT 1 NOT NULL,
	"last_drilled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"archived_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "crisis_reviews" (
	"crisis_id" uuid PRIMARY KEY NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"owner_id" uuid,
	"figures" jsonb NOT NULL,
	"content" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "crisis_roles" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"crisis_id" uuid NOT NULL,
	"role" text NOT NULL,
	"user_id" uuid NOT NULL,
	"is_backup" boolean DEFAULT false NOT NULL,
	"assumed_at" timestamp with time zone NOT NULL,
	"renounced_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "crisis_severities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"level" integer NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"approver_role" text DEFAULT 'lead' NOT NULL,
	"auto_crisis_mode" boolean DEFAULT false NOT NULL,
	"internal_update_minutes" integer NOT NULL,
	"public_update_minutes" integer,
	"approval_deadline_minutes" integer DEFAULT 15 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crisis_statements" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"crisis_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"template_id" text,
	"locale" text NOT NULL,
	"body" text NOT NULL,
	"variants" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"channel_ids" uuid[] DEFAULT '{}' NOT NULL,
	"status" text DEFAULT 'draft' NOT NULL,
	"approver_id" uuid,
	"backup_approver_id" uuid,
	"submitted_by" uuid,
	"submitted_at" timestamp with time zone,
	"deadline_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_comment" text,
	"post_id" uuid,
	"published_at" timestamp with time zone,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crisis_status_updates" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"crisis_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"body" jsonb NOT NULL,
	"author_id" uuid,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "crisis_tasks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"crisis_id" uuid NOT NULL,
	"source" text NOT NULL,
	"plan_step_id" text,
	"kind" text DEFAULT 'other' NOT NULL,
	"title" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"owner_role" text,
	"owner_id" uuid,
	"due_at" timestamp with time zone,
	"status" text DEFAULT 'open' NOT NULL,
	"done_by" uuid,
	"done_at" timestamp with time zone,
	"last_reminded_at" timestamp with time zone,
	"updates_plan" boolean DEFAULT false NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "crises" ADD CONSTRAINT "crises_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crises" ADD CONSTRAINT "crises_plan_id_crisis_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."crisis_plans"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crises" ADD CONSTRAINT "crises_origin_alert_id_listening_alerts_id_fk" FOREIGN KEY ("origin_alert_id") REFERENCES "public"."listening_alerts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crises" ADD CONSTRAINT "crises_declared_by_users_id_fk" FOREIGN KEY ("declared_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_drills" ADD CONSTRAINT "crisis_drills_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_drills" ADD CONSTRAINT "crisis_drills_plan_id_crisis_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."crisis_plans"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_drills" ADD CONSTRAINT "crisis_drills_crisis_id_crises_id_fk" FOREIGN KEY ("crisis_id") REFERENCES "public"."crises"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_drills" ADD CONSTRAINT "crisis_drills_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_events" ADD CONSTRAINT "crisis_events_crisis_id_crises_id_fk" FOREIGN KEY ("crisis_id") REFERENCES "public"."crises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_events" ADD CONSTRAINT "crisis_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_held_posts" ADD CONSTRAINT "crisis_held_posts_crisis_id_crises_id_fk" FOREIGN KEY ("crisis_id") REFERENCES "public"."crises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_held_posts" ADD CONSTRAINT "crisis_held_posts_post_target_id_post_targets_id_fk" FOREIGN KEY ("post_target_id") REFERENCES "public"."post_targets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_held_posts" ADD CONSTRAINT "crisis_held_posts_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_modes" ADD CONSTRAINT "crisis_modes_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_modes" ADD CONSTRAINT "crisis_modes_crisis_id_crises_id_fk" FOREIGN KEY ("crisis_id") REFERENCES "public"."crises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_modes" ADD CONSTRAINT "crisis_modes_pause_id_publishing_pauses_id_fk" FOREIGN KEY ("pause_id") REFERENCES "public"."publishing_pauses"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_modes" ADD CONSTRAINT "crisis_modes_activated_by_users_id_fk" FOREIGN KEY ("activated_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_modes" ADD CONSTRAINT "crisis_modes_ended_by_users_id_fk" FOREIGN KEY ("ended_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_plan_versions" ADD CONSTRAINT "crisis_plan_versions_plan_id_crisis_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."crisis_plans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_plan_versions" ADD CONSTRAINT "crisis_plan_versions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_plans" ADD CONSTRAINT "crisis_plans_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_reviews" ADD CONSTRAINT "crisis_reviews_crisis_id_crises_id_fk" FOREIGN KEY ("crisis_id") REFERENCES "public"."crises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_reviews" ADD CONSTRAINT "crisis_reviews_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_roles" ADD CONSTRAINT "crisis_roles_crisis_id_crises_id_fk" FOREIGN KEY ("crisis_id") REFERENCES "public"."crises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_roles" ADD CONSTRAINT "crisis_roles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_severities" ADD CONSTRAINT "crisis_severities_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_statements" ADD CONSTRAINT "crisis_statements_crisis_id_crises_id_fk" FOREIGN KEY ("crisis_id") REFERENCES "public"."crises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_statements" ADD CONSTRAINT "crisis_statements_approver_id_users_id_fk" FOREIGN KEY ("approver_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_statements" ADD CONSTRAINT "crisis_statements_backup_approver_id_users_id_fk" FOREIGN KEY ("backup_approver_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_statements" ADD CONSTRAINT "crisis_statements_submitted_by_users_id_fk" FOREIGN KEY ("submitted_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_statements" ADD CONSTRAINT "crisis_statements_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_statements" ADD CONSTRAINT "crisis_statements_post_id_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."posts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_statements" ADD CONSTRAINT "crisis_statements_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_status_updates" ADD CONSTRAINT "crisis_status_updates_crisis_id_crises_id_fk" FOREIGN KEY ("crisis_id") REFERENCES "public"."crises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_status_updates" ADD CONSTRAINT "crisis_status_updates_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_tasks" ADD CONSTRAINT "crisis_tasks_crisis_id_crises_id_fk" FOREIGN KEY ("crisis_id") REFERENCES "public"."crises"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_tasks" ADD CONSTRAINT "crisis_tasks_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crisis_tasks" ADD CONSTRAINT "crisis_tasks_done_by_users_id_fk" FOREIGN KEY ("done_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "crises_number" ON "crises" USING btree ("workspace_id","number");--> statement-breakpoint
CREATE INDEX "crises_workspace_status" ON "crises" USING btree ("workspace_id","status");--> statement-breakpoint
CREATE INDEX "crisis_drills_workspace" ON "crisis_drills" USING btree ("workspace_id","started_at");--> statement-breakpoint
CREATE INDEX "crisis_events_crisis" ON "crisis_events" USING btree ("crisis_id","occurred_at");--> statement-breakpoint
CREATE INDEX "crisis_modes_active" ON "crisis_modes" USING btree ("workspace_id","ended_at");--> statement-breakpoint
CREATE INDEX "crisis_modes_crisis" ON "crisis_modes" USING btree ("crisis_id");--> statement-breakpoint
CREATE INDEX "crisis_plans_workspace" ON "crisis_plans" USING btree ("workspace_id","archived_at");--> statement-breakpoint
CREATE INDEX "crisis_roles_crisis" ON "crisis_roles" USING btree ("crisis_id","renounced_at");--> statement-breakpoint
CREATE UNIQUE INDEX "crisis_severities_level" ON "crisis_severities" USING btree ("workspace_id","level");--> statement-breakpoint
CREATE INDEX "crisis_statements_crisis" ON "crisis_statements" USING btree ("crisis_id","status");--> statement-breakpoint
CREATE INDEX "crisis_statements_deadline" ON "crisis_statements" USING btree ("status","deadline_at");--> statement-breakpoint
CREATE INDEX "crisis_status_updates_crisis" ON "crisis_status_updates" USING btree ("crisis_id","created_at");--> statement-breakpoint
CREATE INDEX "crisis_tasks_crisis" ON "crisis_tasks" USING btree ("crisis_id","status");--> statement-breakpoint
CREATE INDEX "crisis_tasks_due" ON "crisis_tasks" USING btree ("status","due_at");