-- sr's registry tables. Subjects compare bytewise (COLLATE "C"), as sled orders its keys.
CREATE SEQUENCE sr_schema_id_seq AS integer MINVALUE 1 MAXVALUE 2147483647;
CREATE TABLE sr_schemas (
    id integer PRIMARY KEY,
    identity bytea NOT NULL,   -- sha256 of the schema's identity key
    body text NOT NULL         -- the StoredSchema as JSON, exactly as written
);
-- Not unique: IMPORT may bind one schema to two ids, as Confluent allows. Outside IMPORT, the
-- identity advisory lock taken before the lookup gives one id per schema.
CREATE INDEX sr_schemas_identity ON sr_schemas (identity);
CREATE TABLE sr_versions (
    subject text COLLATE "C" NOT NULL,
    version integer NOT NULL,
    id integer NOT NULL,
    deleted boolean NOT NULL,
    ts bigint NOT NULL,
    PRIMARY KEY (subject, version)
);
CREATE INDEX sr_versions_id ON sr_versions (id);
CREATE TABLE sr_refs (
    subject text COLLATE "C" NOT NULL,
    version integer NOT NULL,
    referrer integer NOT NULL,
    PRIMARY KEY (subject, version, referrer)
);
CREATE INDEX sr_refs_referrer ON sr_refs (referrer);
CREATE TABLE sr_subjects (
    subject text COLLATE "C" PRIMARY KEY,
    max_version integer NOT NULL,
    config text,
    mode text
);
CREATE TABLE sr_global (
    key text PRIMARY KEY,
    value text NOT NULL
);
-- Bumped by every hard delete: the poll behind LISTEN/NOTIFY compares it.
CREATE TABLE sr_meta (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    hard_deletes bigint NOT NULL DEFAULT 0
);
INSERT INTO sr_meta DEFAULT VALUES;
