ALTER TABLE "publishing_pauses" ADD COLUMN "paused_via" jsonb;--> statement-breakpoint
-- Pauses crisis mode took before this column: their English label "crisis CR-<n> (<person>)" becomes facts when the
-- crisis is found by its number in the workspace (otherwise the banner keeps showing the label as it was stored).
UPDATE "publishing_pauses" AS p
SET "paused_via" = jsonb_build_object(
  'kind', 'crisis',
  'crisisId', c."id",
  'crisisRef', 'CR-' || c."number",
  'personName', substring(p."paused_by_label" from '^crisis CR-[0-9]+ \((.*)\)$')
)
FROM "crises" AS c
WHERE p."paused_by_label" ~ '^crisis CR-[0-9]+( |$)'
  AND c."workspace_id" = p."workspace_id"
  AND c."number" = substring(p."paused_by_label" from '^crisis CR-([0-9]+)')::integer;
