CREATE SEQUENCE "public"."sandbox_activity_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "sandbox_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"handle" text NOT NULL,
	"display_name" text NOT NULL,
	"kind" text NOT NULL,
	"language" text DEFAULT 'en' NOT NULL,
	"bio" text DEFAULT '' NOT NULL,
	"followers" integer DEFAULT 0 NOT NULL,
	"verified" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_direct_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint DEFAULT nextval('sandbox_activity_seq') NOT NULL,
	"conversation_id" text NOT NULL,
	"sender_id" uuid NOT NULL,
	"recipient_id" uuid NOT NULL,
	"text" text NOT NULL,
	"idempotency_key" text,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_faults" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "sandbox_faults_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"account_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"remaining" integer DEFAULT 1 NOT NULL,
	"retry_after_seconds" integer,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_posts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint DEFAULT nextval('sandbox_activity_seq') NOT NULL,
	"account_id" uuid NOT NULL,
	"text" text NOT NULL,
	"lang" text,
	"media" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"reply_to_id" uuid,
	"idempotency_key" text,
	"created_at" timestamp with time zone NOT NULL,
	"deleted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "sandbox_reactions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint DEFAULT nextval('sandbox_activity_seq') NOT NULL,
	"account_id" uuid NOT NULL,
	"post_id" uuid NOT NULL,
	"reaction" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sandbox_tokens" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"account_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "sandbox_direct_messages" ADD CONSTRAINT "sandbox_direct_messages_sender_id_sandbox_accounts_id_fk" FOREIGN KEY ("sender_id") REFERENCES "public"."sandbox_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_direct_messages" ADD CONSTRAINT "sandbox_direct_messages_recipient_id_sandbox_accounts_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "public"."sandbox_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_faults" ADD CONSTRAINT "sandbox_faults_account_id_sandbox_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."sandbox_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_posts" ADD CONSTRAINT "sandbox_posts_account_id_sandbox_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."sandbox_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_reactions" ADD CONSTRAINT "sandbox_reactions_account_id_sandbox_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."sandbox_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_reactions" ADD CONSTRAINT "sandbox_reactions_post_id_sandbox_posts_id_fk" FOREIGN KEY ("post_id") REFERENCES "public"."sandbox_posts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sandbox_tokens" ADD CONSTRAINT "sandbox_tokens_account_id_sandbox_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."sandbox_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sandbox_accounts_handle" ON "sandbox_accounts" USING btree (lower("handle"));--> statement-breakpoint
CREATE UNIQUE INDEX "sandbox_direct_messages_idempotency" ON "sandbox_direct_messages" USING btree ("sender_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "sandbox_direct_messages_recipient" ON "sandbox_direct_messages" USING btree ("recipient_id","seq");--> statement-breakpoint
CREATE INDEX "sandbox_direct_messages_conversation" ON "sandbox_direct_messages" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "sandbox_faults_account" ON "sandbox_faults" USING btree ("account_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "sandbox_posts_idempotency" ON "sandbox_posts" USING btree ("account_id","idempotency_key");--> statement-breakpoint
CREATE INDEX "sandbox_posts_account" ON "sandbox_posts" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "sandbox_posts_reply_to" ON "sandbox_posts" USING btree ("reply_to_id");--> statement-breakpoint
CREATE INDEX "sandbox_posts_seq" ON "sandbox_posts" USING btree ("seq");--> statement-breakpoint
CREATE UNIQUE INDEX "sandbox_reactions_once" ON "sandbox_reactions" USING btree ("account_id","post_id","reaction");--> statement-breakpoint
CREATE INDEX "sandbox_reactions_post" ON "sandbox_reactions" USING btree ("post_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sandbox_tokens_hash" ON "sandbox_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "sandbox_tokens_account" ON "sandbox_tokens" USING btree ("account_id");