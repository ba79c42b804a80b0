-- A message's per-network variants may carry their own media (content.variants.<network>.media)
-- and pick a rendition of an asset (decision 0022). An asset in such a variant is used as much
-- as one in content.media: it shows among the asset's users, and while the message is scheduled
-- or publishing the asset cannot be deleted. Runs on PostgreSQL 15 and 18.

-- Every variant's media ids as one array, indexed like content -> 'media' (0010), so "who uses
-- this asset" stays an index lookup: (content -> 'media' @> x) OR (this @> x).
CREATE INDEX message_versions_variant_media_idx ON message_versions
  USING gin (jsonb_path_query_array(content, '$.variants.*.media[*]'));

-- 0010's function, same signature and rules, looking in the variants too.
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
      AND (v.content -> 'media' @> v_ref OR jsonb_path_query_array(v.content, '$.variants.*.media[*]') @> v_ref));
END $$;
