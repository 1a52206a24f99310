ALTER TABLE "crisis_notices" ALTER COLUMN "destination_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "crisis_notices" ADD COLUMN "recipient_kind" text DEFAULT 'destination' NOT NULL;--> statement-breakpoint
ALTER TABLE "crisis_notices" ADD COLUMN "recipient_name" text;--> statement-breakpoint
ALTER TABLE "crisis_notices" ADD COLUMN "recipient_role" text;--> statement-breakpoint
ALTER TABLE "crisis_notices" ADD COLUMN "recipient_address" text;