-- OrleansSync schema, migration 0010: grain state of OrleansSync's own PostgreSQL grain storage
-- (Silo/Postgres/GrainState/PostgresGrainStorage), which replaces the ADO.NET provider's table of migration 0003.
--
-- Contract:
--  * a row is one state of one grain: the service, the grain type and key exactly as Orleans spells them
--    (GrainId.Type and GrainId.Key, never parsed into numbers) and the state name;
--  * version is the ETag. A write carries the version it last saw and changes nothing unless it still matches;
--    a grain that never saw a row in this table inserts and changes nothing if a row exists. Writes of many grains
--    are committed together in one statement that reports, per row, the new version or nothing (a conflict);
--  * a clear keeps the row with a NULL payload and a new version, so the ETag chain never restarts;
--  * payload is the Orleans binary serialization of the state (OrleansGrainStorageSerializer).
--
-- Upgrade: rows of orleanssync_grain_state (0003) are not copied. A grain with no row here is read from that table
-- once, and its first write inserts its row here; the old row is left as it was and is no longer read after that.

CREATE TABLE IF NOT EXISTS orleanssync_grain_record
(
    service_id  text        NOT NULL,
    grain_type  text        NOT NULL,
    grain_key   text        NOT NULL,
    state_name  text        NOT NULL,
    payload     bytea       NULL,
    version     bigint      NOT NULL,
    modified_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orleanssync_grain_record_key PRIMARY KEY (service_id, grain_type, grain_key, state_name)
)
-- Free space on each page lets a state rewrite stay on its page (a HOT update, no index entry to add).
WITH (fillfactor = 80);
