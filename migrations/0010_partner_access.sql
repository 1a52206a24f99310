ALTER TABLE "memberships" ADD COLUMN "partner_organization" text;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "access_ends_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "access_end_warned_at" timestamp with time zone;