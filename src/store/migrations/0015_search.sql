-- The operator console's search: the words of every message, folded the way triage folds them (lower case, ё → е,
-- Kazakh-only letters to their Russian look-alikes), so "жарык жок" finds "жарық жоқ" and "еще" finds "ещё".
-- The 'simple' configuration (no stemming: Russian and Kazakh share the index) with prefix queries (:*) stands in
-- for endings. Folding is done with translate(), not lower(): lower() follows the database's locale and leaves
-- Cyrillic alone under C (as on PGlite), while translate() gives the same words everywhere.
CREATE FUNCTION qala_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT lower(translate(t,
    'АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯӘҒҚҢӨҰҮҺІәғқңөұүһіё',
    'абвгдеежзийклмнопрстуфхцчшщъыьэюяагкноуухиагкноуухие'))
$$;

-- An expression index (no extra column): queries spell the same expression, see tickets/search.ts.
CREATE INDEX messages_search_idx ON messages USING gin (to_tsvector('simple'::regconfig, qala_fold(text)));

-- Corrections of the organisation and of the address become labelled examples too, beside category and district.
ALTER TABLE labels DROP CONSTRAINT labels_field_check;
ALTER TABLE labels ADD CONSTRAINT labels_field_check
  CHECK (field IN ('category', 'kind', 'urgency', 'district', 'organisation', 'address'));
