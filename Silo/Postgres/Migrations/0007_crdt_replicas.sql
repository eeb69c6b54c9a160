-- OrleansSync schema, migration 0007: multi-primary replica copies (Grains/Replication/MultiPrimary/PostgresCopyStore.cs).
--
--  * orleanssync_crdt_replicas: one row per (group, copy, key) holding that copy's CRDT state of the key (LWW register,
--    PN-counter and OR-set parts, Orleans-serialized) and its 64-bit digest. A write upserts only the keys it touched;
--    a copy reads all its rows once when it activates. Only the copy's grain writes its rows, one batch at a time,
--    each batch at least as new as the one before, so a plain upsert never moves a key backwards.

CREATE TABLE IF NOT EXISTS orleanssync_crdt_replicas
(
    replica_group text        NOT NULL,
    copy_index    integer     NOT NULL,
    entry_key     text        NOT NULL,
    state         bytea       NOT NULL,
    digest        bigint      NOT NULL,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orleanssync_crdt_replicas_pkey PRIMARY KEY (replica_group, copy_index, entry_key)
);
