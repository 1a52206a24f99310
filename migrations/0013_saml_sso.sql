ALTER TABLE "sso_providers" ALTER COLUMN "client_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "sso_providers" ALTER COLUMN "client_secret" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "sso_providers" ADD COLUMN "protocol" text DEFAULT 'oidc' NOT NULL;--> statement-breakpoint
ALTER TABLE "sso_providers" ADD COLUMN "saml_sso_url" text;--> statement-breakpoint
ALTER TABLE "sso_providers" ADD COLUMN "saml_certificates" text[];--> statement-breakpoint
ALTER TABLE "sso_providers" ADD COLUMN "saml_email_attribute" text;--> statement-breakpoint
ALTER TABLE "sso_providers" ADD COLUMN "saml_name_attribute" text;--> statement-breakpoint
ALTER TABLE "sso_sign_ins" ADD COLUMN "answered_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "sso_sign_ins" ADD COLUMN "assertion_key" text;--> statement-breakpoint
ALTER TABLE "sso_sign_ins" ADD CONSTRAINT "sso_sign_ins_assertion_key_unique" UNIQUE("assertion_key");