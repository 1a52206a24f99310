ALTER TABLE "listening_sources" ADD COLUMN "lease_owner" text;--> statement-breakpoint
ALTER TABLE "listening_sources" ADD COLUMN "lease_expires_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "listening_sources_lease" ON "listening_sources" USING btree ("state","lease_expires_at");