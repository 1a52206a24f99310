ALTER TABLE "crisis_modes" ADD COLUMN "automatic_severity" integer;--> statement-breakpoint
-- Crisis modes started by their severity before this column (their timeline says so: crisis_mode_on with automatic):
-- the crisis's severity (the one it has now: the best known) and, instead of the generated "<title> (<severity>)",
-- what the declarer wrote — the summary, else the title.
UPDATE "crisis_modes" AS m
SET "automatic_severity" = c."severity_level",
    "reason" = coalesce(nullif(btrim(c."summary"), ''), c."title")
FROM "crises" AS c, "crisis_events" AS e
WHERE c."id" = m."crisis_id"
  AND e."crisis_id" = m."crisis_id"
  AND e."type" = 'crisis_mode_on'
  AND e."data"->>'modeId' = m."id"::text
  AND e."data"->>'automatic' = 'true';
