-- OrleansSync schema, migration 0009: the queue log stores one row per append and partition (Grains/Queues/PostgresQueueLog.cs).
--
-- Migration 0005 wrote one row per message plus one dedupe row per message id, so a publish of 100 messages wrote 200
-- rows (and their index entries). Now:
--  * orleanssync_queue_batches: one row per append chunk of a partition, holding the messages at offsets
--    first_offset..last_offset (gap-free, in order) as parallel arrays: message_ids[i], msg_keys[i], bodies[i] and
--    headers[i] (JSON text or NULL) are the message at offset first_offset + i - 1. Rows of a partition are contiguous:
--    each row starts where the one before ended. The primary key (queue, partition, first_offset) and the append's check
--    that its first offset follows the partition's last row turn a second writer into a failed append, never a fork.
--  * The dedupe window is kept by the partition's writer in memory (fingerprints of the ids of the rows published
--    within the window, read back from message_ids when a partition is opened), so no dedupe rows are written; the
--    index on published_at finds those rows.
--  * orleanssync_queue_messages becomes a view with the columns of the former table (one row per message), so existing
--    queries keep working. The former rows are moved into batch rows of one message each; the former dedupe rows are
--    dropped: a message's dedupe window now runs from its published_at.

CREATE TABLE IF NOT EXISTS orleanssync_queue_batches
(
    queue        text        NOT NULL,
    partition    integer     NOT NULL,
    first_offset bigint      NOT NULL,
    last_offset  bigint      NOT NULL,
    published_at timestamptz NOT NULL,
    message_ids  text[]      NOT NULL,
    msg_keys     text[]      NOT NULL,
    bodies       bytea[]     NOT NULL,
    headers      text[]      NOT NULL,
    CONSTRAINT orleanssync_queue_batches_pkey PRIMARY KEY (queue, partition, first_offset),
    CONSTRAINT orleanssync_queue_batches_range CHECK (
        last_offset >= first_offset
        AND cardinality(message_ids) = last_offset - first_offset + 1
        AND cardinality(msg_keys) = cardinality(message_ids)
        AND cardinality(bodies) = cardinality(message_ids)
        AND cardinality(headers) = cardinality(message_ids))
);

CREATE INDEX IF NOT EXISTS orleanssync_queue_batches_published
    ON orleanssync_queue_batches (queue, partition, published_at);

-- Re-runnable: the former table is converted only while it is still a table.
DO $$
BEGIN
    IF (SELECT c.relkind FROM pg_class c WHERE c.oid = to_regclass('orleanssync_queue_messages')) = 'r' THEN
        INSERT INTO orleanssync_queue_batches (queue, partition, first_offset, last_offset, published_at, message_ids, msg_keys, bodies, headers)
        SELECT m.queue, m.partition, m.msg_offset, m.msg_offset, m.published_at,
               ARRAY[m.message_id], ARRAY[m.msg_key], ARRAY[m.body], ARRAY[m.headers::text]
        FROM orleanssync_queue_messages m;

        DROP TABLE orleanssync_queue_messages;
    END IF;
END
$$;

DROP TABLE IF EXISTS orleanssync_queue_dedupe;

CREATE OR REPLACE VIEW orleanssync_queue_messages AS
SELECT b.queue,
       b.partition,
       b.first_offset + m.ord - 1 AS msg_offset,
       m.message_id,
       m.msg_key,
       m.body,
       m.headers::jsonb AS headers,
       b.published_at
FROM orleanssync_queue_batches b
CROSS JOIN LATERAL unnest(b.message_ids, b.msg_keys, b.bodies, b.headers) WITH ORDINALITY AS m(message_id, msg_key, body, headers, ord);
