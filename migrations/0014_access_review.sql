CREATE TABLE "access_review_reminders" (
	"workspace_id" uuid NOT NULL,
	"quarter" text NOT NULL,
	"sent_at" timestamp with time zone NOT NULL,
	"recipients" text[] NOT NULL,
	CONSTRAINT "access_review_reminders_workspace_id_quarter_pk" PRIMARY KEY("workspace_id","quarter")
);
--> statement-breakpoint
CREATE TABLE "access_review_sign_offs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"workspace_id" uuid NOT NULL,
	"signed_by" uuid,
	"signed_by_name" text NOT NULL,
	"signed_by_email" text NOT NULL,
	"signed_at" timestamp with time zone NOT NULL,
	"quarter" text NOT NULL,
	"note" text,
	"content_hash" text NOT NULL,
	"summary" jsonb NOT NULL
);
--> statement-breakpoint
ALTER TABLE "access_review_reminders" ADD CONSTRAINT "access_review_reminders_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_review_sign_offs" ADD CONSTRAINT "access_review_sign_offs_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "access_review_sign_offs" ADD CONSTRAINT "access_review_sign_offs_signed_by_users_id_fk" FOREIGN KEY ("signed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "access_review_sign_offs_workspace" ON "access_review_sign_offs" USING btree ("workspace_id","signed_at");