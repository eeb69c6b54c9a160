-- OrleansSync schema, migration 0011: replica entries are rewritten in place (Grains/Replication/PostgresReplicaStore.cs).
--
-- Every write of a key upserts its row with a higher version. With an index on the exact version, each such update
-- had to add an entry to both indexes (no HOT update), which cost the server more CPU than the rest of the write.
-- Now:
--  * version_block = version >> 16 is indexed instead of version. A rewrite keeps its index entries (a HOT update)
--    while the key's new version falls in the same block of 65,536 versions as its old one: for a group whose
--    rewritten keys number well under 65,536 that is nearly every write. Readers in version order scan the index by
--    block and sort within the block (see ReadRangeAsync), so a read near the head visits one or two blocks.
--  * fillfactor 70 leaves room on each page for the new row version a HOT update needs.
--  * the group and key columns compare bytewise (COLLATE "C"): they are identifiers, matched by equality only, and
--    locale-aware comparison was a measurable part of every unique-index lookup.
-- Re-running this script is harmless; it rewrites the table once (the ALTERs take an exclusive lock while they run).

ALTER TABLE orleanssync_replica_entries SET (fillfactor = 70);

ALTER TABLE orleanssync_replica_entries
    ALTER COLUMN replica_group TYPE text COLLATE "C",
    ALTER COLUMN entry_key TYPE text COLLATE "C",
    ADD COLUMN IF NOT EXISTS version_block bigint GENERATED ALWAYS AS (version >> 16) STORED;

DROP INDEX IF EXISTS orleanssync_replica_entries_version;

CREATE INDEX IF NOT EXISTS orleanssync_replica_entries_version_block
    ON orleanssync_replica_entries (replica_group, copy_index, version_block);
