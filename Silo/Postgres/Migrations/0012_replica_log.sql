-- OrleansSync schema, migration 0012: a copy stores each batch of writes as one log row (Grains/Replication/PostgresReplicaStore.cs).
--
-- Upserting one row per key inside the commit a write waits for cost the server more than everything else in that
-- commit: in the replication benchmark a batch stored as one row instead of 32 upserts doubled the majority write rate.
-- Now:
--  * orleanssync_replica_log: one row per stored batch of one copy, its writes as parallel arrays. Inserting it is the
--    commit a write waits for.
--  * Shortly after, the silo folds the copy's log rows into orleanssync_replica_entries (keeping each key's highest
--    version, as before) and deletes them, in one transaction. That transaction commits without waiting for its WAL
--    flush: if the server loses it, it loses the deletes with it, so the log rows are still there to fold again.
--  * Readers of a key look at both tables; range reads and a copy's load fold first.
-- Rows up to 8,160 bytes stay in the table's page without compression (toast_tuple_target, STORAGE EXTERNAL): the
-- values are usually incompressible and the row lives for a fraction of a second.
-- The table churns like a queue, so silos vacuum it every second while they fold (autovacuum comes about once a
-- minute). Vacuum never truncates it: that needs an exclusive lock, which would stall the writes behind it.

CREATE TABLE IF NOT EXISTS orleanssync_replica_log
(
    replica_group text COLLATE "C" NOT NULL,
    copy_index    integer          NOT NULL,
    log_id        bigint GENERATED ALWAYS AS IDENTITY,
    entry_keys    text[] COLLATE "C" NOT NULL,
    versions      bigint[]         NOT NULL,
    epochs        bigint[]         NOT NULL,
    deleted       boolean[]        NOT NULL,
    entry_values  bytea[]          NOT NULL,
    CONSTRAINT orleanssync_replica_log_pkey PRIMARY KEY (replica_group, copy_index, log_id)
) WITH (toast_tuple_target = 8160, vacuum_truncate = false);

ALTER TABLE orleanssync_replica_log
    ALTER COLUMN entry_keys SET STORAGE EXTERNAL,
    ALTER COLUMN entry_values SET STORAGE EXTERNAL;
