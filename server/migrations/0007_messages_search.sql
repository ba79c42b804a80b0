-- Search that uses its indexes under row-level security.
--
-- PostgreSQL applies a table's row policy before any condition whose operator is not leakproof,
-- and neither full-text `@@` nor pg_trgm's `%` is: a request's search ignored both GIN indexes of
-- message_texts and read every text of the tenant (about 200 ms for a word at 50,000 messages,
-- seconds for a typo). The two functions below look up candidates through the indexes with the
-- same subtree rule the policies use, written out; the query that calls them joins back to
-- `messages` under its row policy, so what a caller sees is still decided by row-level security.

-- The words of current texts, per organisation, for typo tolerance: a typo is matched against
-- this small vocabulary (trigram index), and the words found are searched for in full text.
-- Words are added as texts are saved and never removed: a word no text holds any more finds nothing.
CREATE TABLE message_words (
  org_id uuid NOT NULL REFERENCES organisations (id),
  org_path uuid[] NOT NULL,
  word text NOT NULL CHECK (char_length(word) BETWEEN 3 AND 64),
  PRIMARY KEY (org_id, word)
);
CREATE INDEX message_words_trgm_idx ON message_words USING gin (word gin_trgm_ops);
CREATE TRIGGER message_words_org_path BEFORE INSERT ON message_words FOR EACH ROW EXECUTE FUNCTION guddu_set_org_path();
ALTER TABLE message_words ENABLE ROW LEVEL SECURITY;
ALTER TABLE message_words FORCE ROW LEVEL SECURITY;
CREATE POLICY message_words_subtree ON message_words
  USING (org_path @> ARRAY[(SELECT guddu_current_org())]) WITH CHECK (org_path @> ARRAY[(SELECT guddu_current_org())]);
GRANT SELECT, INSERT ON message_words TO guddu_app;

-- Filled from every insert into message_texts, whichever path writes it (the repository, an
-- import, a restore), once per statement.
CREATE FUNCTION message_texts_add_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO message_words (org_id, word)
    SELECT DISTINCT n.org_id, w FROM new_texts n, unnest(tsvector_to_array(n.tsv)) AS w
    WHERE char_length(w) BETWEEN 3 AND 64
    ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER message_texts_words AFTER INSERT ON message_texts
  REFERENCING NEW TABLE AS new_texts FOR EACH STATEMENT EXECUTE FUNCTION message_texts_add_words();

INSERT INTO message_words (org_id, org_path, word)
  SELECT DISTINCT t.org_id, t.org_path, w FROM message_texts t, unnest(tsvector_to_array(t.tsv)) AS w
  WHERE char_length(w) BETWEEN 3 AND 64
  ON CONFLICT DO NOTHING;

-- Texts matching a full-text query in the caller's subtree, with their rank. No caller
-- organisation (outside a request): nothing.
CREATE FUNCTION guddu_search_texts(p_query tsquery)
  RETURNS TABLE (message_id uuid, language text, channel text, rank real)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT t.message_id, t.language, t.channel, ts_rank(t.tsv, p_query)
  FROM message_texts t
  WHERE t.tsv @@ p_query AND t.org_path @> ARRAY[guddu_current_org()] $$;

-- Vocabulary words of the caller's subtree like each of p_words (trigram similarity at least
-- p_min), best first, at most p_per_word per query word.
CREATE FUNCTION guddu_similar_words(p_words text[], p_min real, p_per_word integer)
  RETURNS TABLE (query_word text, word text, similarity real)
  LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
  SELECT q, s.word, s.sim
  FROM unnest(p_words) AS q,
  LATERAL (
    SELECT DISTINCT w.word, similarity(w.word, q) AS sim
    FROM message_words w
    WHERE w.word % q AND w.org_path @> ARRAY[guddu_current_org()]
    ORDER BY sim DESC, w.word
    LIMIT p_per_word
  ) s
  WHERE s.sim >= p_min $$;

REVOKE EXECUTE ON FUNCTION guddu_search_texts(tsquery), guddu_similar_words(text[], real, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION guddu_search_texts(tsquery), guddu_similar_words(text[], real, integer) TO guddu_app;
