-- Audit appends without the per-organisation lock (docs/decisions/0009-audit-sequencer.md).
-- A writer inserts its event with a content hash and the keys that order it later (its
-- transaction id and an insertion number); a sequencer chains committed events shortly after
-- commit, below the horizon of the oldest running transaction, so a late commit can never land
-- before an event that is already chained.

ALTER TABLE audit_events
  ALTER COLUMN seq DROP NOT NULL,
  ALTER COLUMN prev_hash DROP NOT NULL,
  ALTER COLUMN hash DROP NOT NULL,
  -- The writing transaction (top level). Below pg_snapshot_xmin no transaction can still add one.
  ADD COLUMN txid xid8,
  -- Insertion order, global; orders events of one transaction and pages the list.
  ADD COLUMN no bigint,
  -- sha256(canonical \n txid \n no): fixes an event's fields and its place in the order before it
  -- is chained. NULL only for events chained before this migration (their hash covers them).
  ADD COLUMN content_hash text,
  ADD COLUMN chained_at timestamptz;

-- Events appended before this migration are chained already; they get insertion numbers in
-- chain order. The one time the append-only trigger steps aside, inside this migration.
ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update;
UPDATE audit_events e SET no = r.n
  FROM (SELECT id, row_number() OVER (ORDER BY org_id, seq) AS n FROM audit_events) r
  WHERE e.id = r.id;
ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update;

CREATE SEQUENCE audit_events_no_seq OWNED BY audit_events.no;
SELECT setval('audit_events_no_seq', coalesce(max(no), 0) + 1, false) FROM audit_events;
ALTER TABLE audit_events
  ALTER COLUMN no SET DEFAULT nextval('audit_events_no_seq'),
  ALTER COLUMN no SET NOT NULL,
  ADD CONSTRAINT audit_events_chained_whole CHECK ((seq IS NULL) = (hash IS NULL) AND (seq IS NULL) = (prev_hash IS NULL)),
  ADD CONSTRAINT audit_events_hashed CHECK (seq IS NOT NULL OR (content_hash IS NOT NULL AND txid IS NOT NULL));

CREATE UNIQUE INDEX audit_events_no_idx ON audit_events (org_id, no);
-- What the sequencer reads: small, because chained events leave it.
CREATE INDEX audit_events_unchained_idx ON audit_events (org_id, txid, no) WHERE hash IS NULL;

-- Append-only stays, with one exception: the sequencer fills in the chain columns of an event
-- that has none, once, and changes nothing else.
CREATE OR REPLACE FUNCTION audit_events_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND NEW.hash IS NOT NULL
     AND (to_jsonb(NEW) - '{seq,prev_hash,hash,chained_at}'::text[]) = (to_jsonb(OLD) - '{seq,prev_hash,hash,chained_at}'::text[]) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit events are append-only' USING ERRCODE = 'insufficient_privilege';
END $$;

-- The append: no lock, one insert. Still the only way in for guddu_app, and still only for the
-- request's own organisation. Returns the insertion number.
CREATE OR REPLACE FUNCTION guddu_audit_append(
  p_id uuid, p_org uuid, p_occurred_at timestamptz, p_actor_type text, p_actor_id uuid,
  p_action text, p_target_type text, p_target_id text, p_before jsonb, p_after jsonb,
  p_ip text, p_user_agent text, p_correlation_id text, p_canonical text
) RETURNS bigint LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_txid xid8 := pg_current_xact_id();
  v_no bigint := nextval('audit_events_no_seq');
BEGIN
  IF current_setting('role') = 'guddu_app' AND p_org IS DISTINCT FROM guddu_current_org() THEN
    RAISE EXCEPTION 'audit event for another organisation' USING ERRCODE = 'insufficient_privilege';
  END IF;
  INSERT INTO audit_events (id, org_id, occurred_at, actor_type, actor_id, action, target_type,
    target_id, before, after, ip, user_agent, correlation_id, txid, no, content_hash)
  VALUES (p_id, p_org, p_occurred_at, p_actor_type, p_actor_id, p_action, p_target_type,
    p_target_id, p_before, p_after, p_ip, p_user_agent, p_correlation_id, v_txid, v_no,
    encode(sha256(convert_to(p_canonical || E'\n' || v_txid::text || E'\n' || v_no::text, 'UTF8')), 'hex'));
  RETURN v_no;
END $$;

-- The sequencer: chains up to p_limit committed events, each organisation's in (txid, no) order,
-- taking only events of transactions older than every running one. One runs at a time (an
-- advisory lock; a second caller returns -1 at once). Returns how many it chained.
CREATE FUNCTION guddu_audit_sequence(p_limit integer) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  v_horizon xid8;
  v_event record;
  v_org uuid;
  v_seq bigint;
  v_prev text;
  v_hash text;
  v_count integer := 0;
BEGIN
  IF NOT pg_try_advisory_xact_lock(hashtext('guddu_audit_sequence')) THEN
    RETURN -1;
  END IF;
  -- Every transaction below the horizon has ended: its events are all visible to the next
  -- statement, and no transaction can add an event below it any more.
  v_horizon := pg_snapshot_xmin(pg_current_snapshot());
  FOR v_event IN
    SELECT id, org_id, content_hash FROM audit_events
    WHERE hash IS NULL AND txid < v_horizon
    ORDER BY org_id, txid, no
    LIMIT p_limit
  LOOP
    IF v_org IS DISTINCT FROM v_event.org_id THEN
      IF v_org IS NOT NULL THEN
        UPDATE audit_chain_heads SET seq = v_seq, hash = v_prev WHERE org_id = v_org;
      END IF;
      v_org := v_event.org_id;
      INSERT INTO audit_chain_heads (org_id, seq, hash) VALUES (v_org, 0, repeat('0', 64))
        ON CONFLICT (org_id) DO NOTHING;
      SELECT hash, seq INTO v_prev, v_seq FROM audit_chain_heads WHERE org_id = v_org FOR UPDATE;
    END IF;
    v_seq := v_seq + 1;
    v_hash := encode(sha256(convert_to(v_prev || E'\n' || v_seq::text || E'\n' || v_event.content_hash, 'UTF8')), 'hex');
    UPDATE audit_events SET seq = v_seq, prev_hash = v_prev, hash = v_hash, chained_at = clock_timestamp()
      WHERE id = v_event.id;
    v_prev := v_hash;
    v_count := v_count + 1;
  END LOOP;
  IF v_org IS NOT NULL THEN
    UPDATE audit_chain_heads SET seq = v_seq, hash = v_prev WHERE org_id = v_org;
  END IF;
  RETURN v_count;
END $$;
REVOKE EXECUTE ON FUNCTION guddu_audit_sequence(integer) FROM PUBLIC;
