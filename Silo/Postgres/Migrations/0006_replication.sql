-- OrleansSync schema, migration 0006: primary-backup replica groups (Grains/Replication/PostgresReplicaStore.cs).
--
--  * orleanssync_replica_entries: one row per (group, copy, key) with the key's latest write and its group-wide version;
--    a delete is a tombstone row (deleted = true) so backups and the change feed see it. A write upserts one row and
--    never lowers a version. The (group, copy, version) index serves catch-up and change-feed reads in version order.
--  * orleanssync_replica_copies: per copy, the highest epoch it promised (fencing), the epoch whose primary last synced
--    it, and whether a compacted catch-up is under way.
-- The group's own configuration (mode, replica count, epoch, primary) is small grain state in orleanssync_grain_state.

CREATE TABLE IF NOT EXISTS orleanssync_replica_entries
(
    replica_group text    NOT NULL,
    copy_index    integer NOT NULL,
    entry_key     text    NOT NULL,
    version       bigint  NOT NULL,
    epoch         bigint  NOT NULL,
    deleted       boolean NOT NULL,
    value         bytea   NULL,
    CONSTRAINT orleanssync_replica_entries_pkey PRIMARY KEY (replica_group, copy_index, entry_key)
);

CREATE INDEX IF NOT EXISTS orleanssync_replica_entries_version
    ON orleanssync_replica_entries (replica_group, copy_index, version);

CREATE TABLE IF NOT EXISTS orleanssync_replica_copies
(
    replica_group  text    NOT NULL,
    copy_index     integer NOT NULL,
    promised_epoch bigint  NOT NULL,
    synced_epoch   bigint  NOT NULL,
    consistent     boolean NOT NULL,
    CONSTRAINT orleanssync_replica_copies_pkey PRIMARY KEY (replica_group, copy_index)
);
