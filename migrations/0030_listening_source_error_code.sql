ALTER TABLE "listening_sources" ADD COLUMN "last_error_code" text;--> statement-breakpoint
ALTER TABLE "listening_sources" ADD COLUMN "last_error_params" jsonb;