-- Schema contexts (Confluent's `:.ctx:subject`): ids are counted per context. The default
-- context `.` keeps the rows, the sequence and the meaning it always had; another context's
-- schemas and references carry its name, and its id counter is a row of sr_contexts.
ALTER TABLE sr_schemas ADD COLUMN context text COLLATE "C" NOT NULL DEFAULT '.';
ALTER TABLE sr_schemas DROP CONSTRAINT sr_schemas_pkey;
ALTER TABLE sr_schemas ADD PRIMARY KEY (context, id);
DROP INDEX sr_schemas_identity;
CREATE INDEX sr_schemas_identity ON sr_schemas (context, identity);
-- The context of a version's id: the context of its subject, stored for the lookup by id.
ALTER TABLE sr_versions ADD COLUMN context text COLLATE "C" NOT NULL DEFAULT '.';
DROP INDEX sr_versions_id;
CREATE INDEX sr_versions_id ON sr_versions (context, id);
-- The referrer's context ('.' for the default one).
ALTER TABLE sr_refs ADD COLUMN referrer_context text COLLATE "C" NOT NULL DEFAULT '.';
ALTER TABLE sr_refs DROP CONSTRAINT sr_refs_pkey;
ALTER TABLE sr_refs ADD PRIMARY KEY (subject, version, referrer_context, referrer);
DROP INDEX sr_refs_referrer;
CREATE INDEX sr_refs_referrer ON sr_refs (referrer_context, referrer);
-- Contexts other than the default one: `listed` while the context exists (from its first
-- registration until DELETE /contexts/{context}); `max_id` is its id high-water mark, kept
-- after a delete so that ids are never reused.
CREATE TABLE sr_contexts (
    context text COLLATE "C" PRIMARY KEY,
    max_id integer NOT NULL DEFAULT 0,
    listed boolean NOT NULL DEFAULT false
);
