-- Media (decision 0015): folders, assets (one uploaded original each), their renditions.
-- Every table carries org_path (ancestry + self, set by the trigger of 0005) under the same
-- row-level security as messages: visible and writable from the organisation and its ancestors.
-- An asset or folder marked shared_with_subtree is also readable (never writable) from below.
-- Which messages use an asset is read from the messages' current versions (no copy to drift).

CREATE TABLE media_folders (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  parent_id uuid REFERENCES media_folders (id),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  shared_with_subtree boolean NOT NULL DEFAULT false,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX media_folders_path_idx ON media_folders USING gin (org_path);

-- array_to_string is only STABLE (it could call output functions that depend on settings); for
-- text[] it is not, and a generated column needs IMMUTABLE.
CREATE FUNCTION guddu_media_words(p text[]) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT array_to_string(p, ' ') $$;

CREATE TABLE media_assets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  folder_id uuid REFERENCES media_folders (id) ON DELETE SET NULL,
  kind text NOT NULL CHECK (kind IN ('image', 'video')),
  -- Sniffed from the bytes, never taken from the name or a header.
  mime text NOT NULL,
  bytes bigint NOT NULL CHECK (bytes > 0),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  storage_key text NOT NULL,
  original_name text NOT NULL DEFAULT '' CHECK (char_length(original_name) <= 500),
  status text NOT NULL DEFAULT 'processing' CHECK (status IN ('processing', 'ready', 'failed', 'cancelled')),
  stage text NOT NULL DEFAULT 'queued',
  progress real NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
  failure text CHECK (char_length(failure) <= 2000),
  width integer,
  height integer,
  duration_ms integer,
  probe jsonb,
  -- Placeholder while loading: a blurhash and the dominant colour (#rrggbb).
  blurhash text,
  dominant_color text,
  title text NOT NULL DEFAULT '' CHECK (char_length(title) <= 300),
  -- BCP 47 tag → alt text; required per language before a message with this image is submitted.
  alt_text jsonb NOT NULL DEFAULT '{}',
  caption text NOT NULL DEFAULT '' CHECK (char_length(caption) <= 5000),
  credit text NOT NULL DEFAULT '' CHECK (char_length(credit) <= 500),
  copyright text NOT NULL DEFAULT '' CHECK (char_length(copyright) <= 500),
  tags text[] NOT NULL DEFAULT '{}' CHECK (cardinality(tags) <= 50),
  usage_rights text NOT NULL DEFAULT '' CHECK (char_length(usage_rights) <= 5000),
  -- After this instant the asset can no longer be attached to a message.
  expires_at timestamptz,
  focal_x real NOT NULL DEFAULT 0.5 CHECK (focal_x BETWEEN 0 AND 1),
  focal_y real NOT NULL DEFAULT 0.5 CHECK (focal_y BETWEEN 0 AND 1),
  -- Keep camera metadata (never location) in renditions; off by default.
  keep_metadata boolean NOT NULL DEFAULT false,
  -- The 9:16 vertical video rendition for Reels and Shorts.
  want_vertical boolean NOT NULL DEFAULT false,
  shared_with_subtree boolean NOT NULL DEFAULT false,
  created_by uuid REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  search tsvector GENERATED ALWAYS AS (
    to_tsvector('simple', title || ' ' || caption || ' ' || credit || ' ' || original_name || ' ' || guddu_media_words(tags))
      || jsonb_to_tsvector('simple', alt_text, '["string"]')
  ) STORED,
  -- A duplicate upload in the organisation returns the existing asset.
  UNIQUE (org_id, sha256)
);
CREATE INDEX media_assets_path_idx ON media_assets USING gin (org_path);
CREATE INDEX media_assets_search_idx ON media_assets USING gin (search);
CREATE INDEX media_assets_tags_idx ON media_assets USING gin (tags);
CREATE INDEX media_assets_created_idx ON media_assets (created_at DESC, id);

-- Finished outputs only: a row is written after its object is complete in storage.
CREATE TABLE media_renditions (
  asset_id uuid NOT NULL REFERENCES media_assets (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (name ~ '^[a-z0-9_]{1,40}$'),
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  mime text NOT NULL,
  width integer,
  height integer,
  bytes bigint NOT NULL,
  duration_ms integer,
  storage_key text NOT NULL,
  -- network → { ok, reasons[] }: which networks can take this rendition and why not.
  networks jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (asset_id, name)
);

CREATE TRIGGER media_folders_org_path BEFORE INSERT ON media_folders FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER media_assets_org_path BEFORE INSERT ON media_assets FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER media_renditions_org_path BEFORE INSERT ON media_renditions FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
CREATE TRIGGER media_folders_org_fixed BEFORE UPDATE ON media_folders FOR EACH ROW EXECUTE FUNCTION guddu_org_fixed();
CREATE TRIGGER media_assets_org_fixed BEFORE UPDATE ON media_assets FOR EACH ROW EXECUTE FUNCTION guddu_org_fixed();
CREATE TRIGGER media_renditions_org_fixed BEFORE UPDATE ON media_renditions FOR EACH ROW EXECUTE FUNCTION guddu_org_fixed();

-- Messages whose current version attaches an asset (content.media is an array of ids).
CREATE INDEX message_versions_media_idx ON message_versions USING gin ((content -> 'media'));

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['media_folders', 'media_assets', 'media_renditions'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY %I ON %I USING (org_path @> ARRAY[(SELECT guddu_current_org())]) WITH CHECK (org_path @> ARRAY[(SELECT guddu_current_org())])',
      t || '_subtree', t);
  END LOOP;
END $$;
-- Shared from above: readable by every organisation below the owner.
CREATE POLICY media_folders_shared ON media_folders FOR SELECT
  USING (shared_with_subtree AND org_id = ANY (guddu_org_path((SELECT guddu_current_org()))));
CREATE POLICY media_assets_shared ON media_assets FOR SELECT
  USING (shared_with_subtree AND org_id = ANY (guddu_org_path((SELECT guddu_current_org()))));
-- A rendition is readable wherever its asset is (the subquery runs under the assets' policies).
CREATE POLICY media_renditions_shared ON media_renditions FOR SELECT
  USING (EXISTS (SELECT 1 FROM media_assets a WHERE a.id = asset_id AND a.org_id = media_renditions.org_id));

GRANT SELECT, INSERT, UPDATE, DELETE ON media_folders, media_assets, media_renditions TO guddu_app;

-- Whether a scheduled or publishing message attaches the asset, in any organisation: a ministry's
-- scheduled message must block a mission's delete of the asset even though RLS hides the message
-- from the mission. Answers only for an asset the caller can see (else false).
CREATE FUNCTION guddu_asset_in_committed_use(p_asset uuid) RETURNS boolean
  LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE v_org uuid;
BEGIN
  SELECT a.org_id INTO v_org FROM media_assets a WHERE a.id = p_asset;
  IF v_org IS NULL THEN RETURN false; END IF;
  IF current_setting('role') = 'guddu_app' AND NOT (guddu_org_path(v_org) @> ARRAY[guddu_current_org()]) THEN
    RETURN false;
  END IF;
  RETURN EXISTS (
    SELECT 1 FROM messages m JOIN message_versions v ON v.message_id = m.id AND v.number = m.version
    WHERE m.status IN ('scheduled', 'publishing') AND v.content -> 'media' @> jsonb_build_array(p_asset::text));
END $$;
GRANT EXECUTE ON FUNCTION guddu_asset_in_committed_use(uuid) TO guddu_app;
