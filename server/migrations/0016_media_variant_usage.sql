-- A message's per-network variants may carry their own media (content.variants.<network>.media)
-- and pick a rendition of an asset (decision 0022). An asset in such a variant of a scheduled or
-- publishing message is in use as much as one in content.media: it cannot be deleted.
-- Replaces 0010's function with the same signature and rules. Runs on PostgreSQL 15 and 18.
CREATE OR REPLACE FUNCTION guddu_asset_in_committed_use(p_asset uuid) RETURNS boolean
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE v_org uuid; v_ref jsonb := jsonb_build_array(p_asset::text);
BEGIN
  SELECT a.org_id INTO v_org FROM media_assets a WHERE a.id = p_asset;
  IF v_org IS NULL THEN RETURN false; END IF;
  IF current_setting('role') = 'guddu_app' AND NOT (guddu_org_path(v_org) @> ARRAY[guddu_current_org()]) THEN
    RETURN false;
  END IF;
  RETURN EXISTS (
    SELECT 1 FROM messages m JOIN message_versions v ON v.message_id = m.id AND v.number = m.version
    WHERE m.status IN ('scheduled', 'publishing')
      AND (v.content -> 'media' @> v_ref
           OR EXISTS (SELECT 1 FROM jsonb_each(coalesce(v.content -> 'variants', '{}'::jsonb)) AS variant
                      WHERE variant.value -> 'media' @> v_ref)));
END $$;
