CREATE TABLE "impostor_scan_marks" (
	"workspace_id" uuid PRIMARY KEY NOT NULL,
	"mention_id" bigint NOT NULL,
	"scanned_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "impostor_scan_marks" ADD CONSTRAINT "impostor_scan_marks_workspace_id_workspaces_id_fk" FOREIGN KEY ("workspace_id") REFERENCES "public"."workspaces"("id") ON DELETE cascade ON UPDATE no action;