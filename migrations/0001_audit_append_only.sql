-- The audit log is append-only: UPDATE, DELETE and TRUNCATE are refused at the database.
-- (Verification does not trust this: `parapet audit verify` recomputes the hash chain.)
CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change();
--> statement-breakpoint
INSERT INTO audit_chain_head (id, last_seq, last_hash) VALUES ('head', 0, 'genesis') ON CONFLICT DO NOTHING;
