-- OrleansSync schema, migration 0005: message queues (Grains/Queues/PostgresQueueLog.cs).
--
--  * orleanssync_queue_messages: one append-only log per (queue, partition); offsets are gap-free from 0 and written
--    only by the partition's grain. The primary key makes a second writer's append fail instead of forking the log.
--  * orleanssync_queue_dedupe: message ids seen per partition until expires_at (the dedupe window); expired rows are
--    taken over by a new message with the same id and purged about once a minute per partition.
--  * orleanssync_queue_dead_letters: per consumer group, pointers into the log of the messages it gave up on.
-- Consumer-group progress (committed offset, messages in flight) is small, bounded grain state in
-- orleanssync_grain_state, not here.

CREATE TABLE IF NOT EXISTS orleanssync_queue_messages
(
    queue        text        NOT NULL,
    partition    integer     NOT NULL,
    msg_offset   bigint      NOT NULL,
    message_id   text        NOT NULL,
    msg_key      text        NULL,
    body         bytea       NOT NULL,
    headers      jsonb       NULL,
    published_at timestamptz NOT NULL,
    CONSTRAINT orleanssync_queue_messages_pkey PRIMARY KEY (queue, partition, msg_offset)
);

CREATE TABLE IF NOT EXISTS orleanssync_queue_dedupe
(
    queue      text        NOT NULL,
    partition  integer     NOT NULL,
    message_id text        NOT NULL,
    msg_offset bigint      NOT NULL,
    expires_at timestamptz NOT NULL,
    CONSTRAINT orleanssync_queue_dedupe_pkey PRIMARY KEY (queue, partition, message_id)
);

CREATE INDEX IF NOT EXISTS orleanssync_queue_dedupe_expiry
    ON orleanssync_queue_dedupe (queue, partition, expires_at);

CREATE TABLE IF NOT EXISTS orleanssync_queue_dead_letters
(
    queue          text        NOT NULL,
    consumer_group text        NOT NULL,
    partition      integer     NOT NULL,
    msg_offset     bigint      NOT NULL,
    delivery_count integer     NOT NULL,
    reason         text        NOT NULL,
    dead_at        timestamptz NOT NULL,
    CONSTRAINT orleanssync_queue_dead_letters_pkey PRIMARY KEY (queue, consumer_group, partition, msg_offset)
);
