ALTER TABLE "listening_streams" ADD COLUMN "backfilled_at" timestamp with time zone;--> statement-breakpoint
-- Streams that exist already were searched for when they were created (if a worker ran): do not search again.
UPDATE "listening_streams" SET "backfilled_at" = "created_at";
