-- PostgreSQL statements for Microsoft.Orleans.Streaming.AdoNet 10.4.2-alpha.1, used only by the queues-adonet benchmark
-- (applied by AdoNetStreamSchema to the benchmark's own database; not a product migration).
--
-- Contract, read from the provider (RelationalOrleansQueries, AdoNetQueueAdapter, AdoNetQueueAdapterReceiver,
-- AdoNetStreamFailureHandler): at start-up it runs SELECT QueryKey, QueryText FROM OrleansQuery and needs six keys.
--  * QueueStreamMessageKey (@ServiceId, @ProviderId, @QueueId, @Payload bytea, @ExpiryTimeout s): one row per
--    OnNextBatchAsync (the whole batch is one serialized payload); answers ServiceId, ProviderId, QueueId, MessageId.
--    The publish returns when this autocommitted INSERT has committed, i.e. after the WAL flush.
--  * GetStreamMessagesKey (+ @MaxCount, @MaxAttempts, @VisibilityTimeout s, @RemovalTimeout s, @EvictionInterval s,
--    @EvictionBatchSize): takes up to @MaxCount visible rows of the queue, bumps their dequeue counter (the receipt) and
--    hides them for the visibility timeout; answers every column of the message. Once per @EvictionInterval per queue it
--    also moves exhausted or expired rows to dead letters and deletes dead letters past their removal time.
--  * ConfirmStreamMessagesKey (@Items = "id:dequeued|id:dequeued|..."): a positive receipt deletes the row if its
--    counter still matches; a negative one (a receiver shutting down) makes the row visible again. Answers the rows hit.
--  * FailStreamMessageKey (@MessageId, @MaxAttempts, @RemovalTimeout): a delivery failed; an exhausted row goes to
--    dead letters, any other becomes visible again.
--  * EvictStreamMessagesKey (@MaxCount, @MaxAttempts, @RemovalTimeout) and EvictStreamDeadLettersKey (@MaxCount): the
--    two eviction steps on their own.
-- Result columns are matched by name (Npgsql falls back to a case-insensitive match); ids are text, MessageId bigint,
-- Dequeued integer, times timestamptz (read as UTC DateTime), Payload bytea.
-- Every statement is idempotent so the benchmark can apply the script to an existing database.

CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64) NOT NULL,
    querytext text        NOT NULL,
    CONSTRAINT orleansquery_pkey PRIMARY KEY (querykey)
);

CREATE SEQUENCE IF NOT EXISTS bench_stream_message_id AS bigint;

CREATE TABLE IF NOT EXISTS bench_stream_message
(
    service_id  text        NOT NULL,
    provider_id text        NOT NULL,
    queue_id    text        NOT NULL,
    message_id  bigint      NOT NULL,
    dequeued    integer     NOT NULL,
    visible_on  timestamptz NOT NULL,
    expires_on  timestamptz NOT NULL,
    created_on  timestamptz NOT NULL,
    modified_on timestamptz NOT NULL,
    payload     bytea       NOT NULL,
    -- the receiver reads a queue in id order; the key serves that scan
    CONSTRAINT bench_stream_message_pkey PRIMARY KEY (service_id, provider_id, queue_id, message_id)
);

CREATE TABLE IF NOT EXISTS bench_stream_dead_letter
(
    service_id  text        NOT NULL,
    provider_id text        NOT NULL,
    queue_id    text        NOT NULL,
    message_id  bigint      NOT NULL,
    dequeued    integer     NOT NULL,
    visible_on  timestamptz NOT NULL,
    expires_on  timestamptz NOT NULL,
    created_on  timestamptz NOT NULL,
    modified_on timestamptz NOT NULL,
    dead_on     timestamptz NOT NULL,
    remove_on   timestamptz NOT NULL,
    payload     bytea       NOT NULL,
    CONSTRAINT bench_stream_dead_letter_pkey PRIMARY KEY (service_id, provider_id, queue_id, message_id)
);

-- When a queue's next opportunistic eviction is due. A poll that finds it not due writes nothing, so an idle poll is a
-- read-only transaction (no commit to flush).
CREATE TABLE IF NOT EXISTS bench_stream_eviction
(
    service_id  text        NOT NULL,
    provider_id text        NOT NULL,
    queue_id    text        NOT NULL,
    due_on      timestamptz NOT NULL,
    CONSTRAINT bench_stream_eviction_pkey PRIMARY KEY (service_id, provider_id, queue_id)
);

INSERT INTO orleansquery (querykey, querytext) VALUES

('QueueStreamMessageKey', $sql$
INSERT INTO bench_stream_message
    (service_id, provider_id, queue_id, message_id, dequeued, visible_on, expires_on, created_on, modified_on, payload)
VALUES (@ServiceId, @ProviderId, @QueueId, nextval('bench_stream_message_id'), 0,
        now(), now() + @ExpiryTimeout * interval '1 second', now(), now(), @Payload)
RETURNING service_id AS "ServiceId", provider_id AS "ProviderId", queue_id AS "QueueId", message_id AS "MessageId"
$sql$),

('GetStreamMessagesKey', $sql$
WITH
-- the first poll of a queue creates its eviction schedule; later polls only read it
schedule AS (
    INSERT INTO bench_stream_eviction (service_id, provider_id, queue_id, due_on)
    SELECT @ServiceId, @ProviderId, @QueueId, now() + @EvictionInterval * interval '1 second'
    WHERE NOT EXISTS (SELECT 1 FROM bench_stream_eviction AS e
                      WHERE e.service_id = @ServiceId AND e.provider_id = @ProviderId AND e.queue_id = @QueueId)
    ON CONFLICT DO NOTHING
),
evict_turn AS (
    UPDATE bench_stream_eviction AS e
    SET due_on = now() + @EvictionInterval * interval '1 second'
    WHERE e.service_id = @ServiceId AND e.provider_id = @ProviderId AND e.queue_id = @QueueId
      AND e.due_on <= now()
    RETURNING 1
),
exhausted AS (
    DELETE FROM bench_stream_message AS m
    WHERE m.service_id = @ServiceId AND m.provider_id = @ProviderId AND m.queue_id = @QueueId
      AND m.message_id IN (
          SELECT x.message_id FROM bench_stream_message AS x
          WHERE x.service_id = @ServiceId AND x.provider_id = @ProviderId AND x.queue_id = @QueueId
            AND x.visible_on <= now() AND (x.dequeued >= @MaxAttempts OR x.expires_on <= now())
            AND EXISTS (SELECT 1 FROM evict_turn)
          ORDER BY x.message_id
          LIMIT @EvictionBatchSize
          FOR UPDATE SKIP LOCKED)
    RETURNING m.*
),
buried AS (
    INSERT INTO bench_stream_dead_letter
        (service_id, provider_id, queue_id, message_id, dequeued, visible_on, expires_on, created_on, modified_on,
         dead_on, remove_on, payload)
    SELECT x.service_id, x.provider_id, x.queue_id, x.message_id, x.dequeued, x.visible_on, x.expires_on, x.created_on,
           x.modified_on, now(), now() + @RemovalTimeout * interval '1 second', x.payload
    FROM exhausted AS x
    ON CONFLICT DO NOTHING
),
forgotten AS (
    DELETE FROM bench_stream_dead_letter AS d
    WHERE d.service_id = @ServiceId AND d.provider_id = @ProviderId AND d.queue_id = @QueueId
      AND d.message_id IN (
          SELECT y.message_id FROM bench_stream_dead_letter AS y
          WHERE y.service_id = @ServiceId AND y.provider_id = @ProviderId AND y.queue_id = @QueueId
            AND y.remove_on <= now()
            AND EXISTS (SELECT 1 FROM evict_turn)
          ORDER BY y.message_id
          LIMIT @EvictionBatchSize
          FOR UPDATE SKIP LOCKED)
),
due AS (
    SELECT v.message_id FROM bench_stream_message AS v
    WHERE v.service_id = @ServiceId AND v.provider_id = @ProviderId AND v.queue_id = @QueueId
      AND v.visible_on <= now() AND v.dequeued < @MaxAttempts AND v.expires_on > now()
    ORDER BY v.message_id
    LIMIT @MaxCount
    FOR UPDATE SKIP LOCKED
)
UPDATE bench_stream_message AS m
SET dequeued = m.dequeued + 1,
    visible_on = now() + @VisibilityTimeout * interval '1 second',
    modified_on = now()
FROM due
WHERE m.service_id = @ServiceId AND m.provider_id = @ProviderId AND m.queue_id = @QueueId
  AND m.message_id = due.message_id
RETURNING m.service_id AS "ServiceId", m.provider_id AS "ProviderId", m.queue_id AS "QueueId",
          m.message_id AS "MessageId", m.dequeued AS "Dequeued", m.visible_on AS "VisibleOn",
          m.expires_on AS "ExpiresOn", m.created_on AS "CreatedOn", m.modified_on AS "ModifiedOn",
          m.payload AS "Payload"
$sql$),

('ConfirmStreamMessagesKey', $sql$
WITH
receipts AS (
    SELECT split_part(r, ':', 1)::bigint AS message_id, split_part(r, ':', 2)::integer AS dequeued
    FROM unnest(string_to_array(@Items, '|')) AS r
),
confirmed AS (
    DELETE FROM bench_stream_message AS m
    USING receipts
    WHERE m.service_id = @ServiceId AND m.provider_id = @ProviderId AND m.queue_id = @QueueId
      AND receipts.dequeued > 0
      AND m.message_id = receipts.message_id AND m.dequeued = receipts.dequeued
    RETURNING m.service_id, m.provider_id, m.queue_id, m.message_id
),
released AS (
    UPDATE bench_stream_message AS m
    SET visible_on = now(), modified_on = now()
    FROM receipts
    WHERE m.service_id = @ServiceId AND m.provider_id = @ProviderId AND m.queue_id = @QueueId
      AND receipts.dequeued < 0
      AND m.message_id = receipts.message_id AND m.dequeued = -receipts.dequeued
    RETURNING m.service_id, m.provider_id, m.queue_id, m.message_id
)
SELECT service_id AS "ServiceId", provider_id AS "ProviderId", queue_id AS "QueueId", message_id AS "MessageId"
FROM confirmed
UNION ALL
SELECT service_id, provider_id, queue_id, message_id
FROM released
$sql$),

('FailStreamMessageKey', $sql$
WITH
exhausted AS (
    DELETE FROM bench_stream_message AS m
    WHERE m.service_id = @ServiceId AND m.provider_id = @ProviderId AND m.queue_id = @QueueId
      AND m.message_id = @MessageId AND m.dequeued >= @MaxAttempts
    RETURNING m.*
),
buried AS (
    INSERT INTO bench_stream_dead_letter
        (service_id, provider_id, queue_id, message_id, dequeued, visible_on, expires_on, created_on, modified_on,
         dead_on, remove_on, payload)
    SELECT x.service_id, x.provider_id, x.queue_id, x.message_id, x.dequeued, x.visible_on, x.expires_on, x.created_on,
           x.modified_on, now(), now() + @RemovalTimeout * interval '1 second', x.payload
    FROM exhausted AS x
    ON CONFLICT DO NOTHING
)
UPDATE bench_stream_message AS m
SET visible_on = now(), modified_on = now()
WHERE m.service_id = @ServiceId AND m.provider_id = @ProviderId AND m.queue_id = @QueueId
  AND m.message_id = @MessageId AND m.dequeued < @MaxAttempts
$sql$),

('EvictStreamMessagesKey', $sql$
WITH
exhausted AS (
    DELETE FROM bench_stream_message AS m
    WHERE m.service_id = @ServiceId AND m.provider_id = @ProviderId AND m.queue_id = @QueueId
      AND m.message_id IN (
          SELECT x.message_id FROM bench_stream_message AS x
          WHERE x.service_id = @ServiceId AND x.provider_id = @ProviderId AND x.queue_id = @QueueId
            AND x.visible_on <= now() AND (x.dequeued >= @MaxAttempts OR x.expires_on <= now())
          ORDER BY x.message_id
          LIMIT @MaxCount
          FOR UPDATE SKIP LOCKED)
    RETURNING m.*
)
INSERT INTO bench_stream_dead_letter
    (service_id, provider_id, queue_id, message_id, dequeued, visible_on, expires_on, created_on, modified_on,
     dead_on, remove_on, payload)
SELECT x.service_id, x.provider_id, x.queue_id, x.message_id, x.dequeued, x.visible_on, x.expires_on, x.created_on,
       x.modified_on, now(), now() + @RemovalTimeout * interval '1 second', x.payload
FROM exhausted AS x
ON CONFLICT DO NOTHING
$sql$),

('EvictStreamDeadLettersKey', $sql$
DELETE FROM bench_stream_dead_letter AS d
WHERE d.service_id = @ServiceId AND d.provider_id = @ProviderId AND d.queue_id = @QueueId
  AND d.message_id IN (
      SELECT y.message_id FROM bench_stream_dead_letter AS y
      WHERE y.service_id = @ServiceId AND y.provider_id = @ProviderId AND y.queue_id = @QueueId
        AND y.remove_on <= now()
      ORDER BY y.message_id
      LIMIT @MaxCount
      FOR UPDATE SKIP LOCKED)
$sql$)

ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
