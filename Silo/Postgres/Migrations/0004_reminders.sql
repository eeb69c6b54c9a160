-- OrleansSync schema, migration 0004: reminders for Microsoft.Orleans.Reminders.AdoNet.
--
-- Contract (see the provider's RelationalOrleansQueries):
--  * @GrainHash/@BeginHash/@EndHash are the grain's uniform hash (a uint) passed as a signed int. The
--    provider asks ReadRangeRows1Key for (begin, end] when begin < end in signed order and
--    ReadRangeRows2Key (the wrapping range: hash > begin OR hash <= end) otherwise; comparing the stored
--    signed values is therefore exactly right;
--  * @Period is in milliseconds (int, or bigint when it does not fit); it is read back as a 64-bit integer;
--  * the version column is the reminder's ETag: upsert returns the new one, delete needs the current one
--    and answers a single boolean.

CREATE TABLE IF NOT EXISTS orleanssync_reminder
(
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    CONSTRAINT orleanssync_reminder_pkey PRIMARY KEY (service_id, grain_id, reminder_name)
);

-- Each silo loads the reminders of its hash range.
CREATE INDEX IF NOT EXISTS orleanssync_reminder_hash_idx ON orleanssync_reminder (service_id, grain_hash);

INSERT INTO orleansquery (querykey, querytext) VALUES

('ReadReminderRowsKey', $sql$
SELECT r.grain_id      AS "GrainId",
       r.reminder_name AS "ReminderName",
       r.start_time    AS "StartTime",
       r.period_ms     AS "Period",
       r.version       AS "Version"
FROM orleanssync_reminder AS r
WHERE r.service_id = @ServiceId
  AND r.grain_id = @GrainId
$sql$),

('ReadReminderRowKey', $sql$
SELECT r.grain_id      AS "GrainId",
       r.reminder_name AS "ReminderName",
       r.start_time    AS "StartTime",
       r.period_ms     AS "Period",
       r.version       AS "Version"
FROM orleanssync_reminder AS r
WHERE r.service_id = @ServiceId
  AND r.grain_id = @GrainId
  AND r.reminder_name = @ReminderName
$sql$),

('ReadRangeRows1Key', $sql$
SELECT r.grain_id      AS "GrainId",
       r.reminder_name AS "ReminderName",
       r.start_time    AS "StartTime",
       r.period_ms     AS "Period",
       r.version       AS "Version"
FROM orleanssync_reminder AS r
WHERE r.service_id = @ServiceId
  AND r.grain_hash > @BeginHash
  AND r.grain_hash <= @EndHash
$sql$),

('ReadRangeRows2Key', $sql$
SELECT r.grain_id      AS "GrainId",
       r.reminder_name AS "ReminderName",
       r.start_time    AS "StartTime",
       r.period_ms     AS "Period",
       r.version       AS "Version"
FROM orleanssync_reminder AS r
WHERE r.service_id = @ServiceId
  AND (r.grain_hash > @BeginHash OR r.grain_hash <= @EndHash)
$sql$),

('UpsertReminderRowKey', $sql$
INSERT INTO orleanssync_reminder AS r
    (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 1)
ON CONFLICT ON CONSTRAINT orleanssync_reminder_pkey DO UPDATE
SET start_time = EXCLUDED.start_time,
    period_ms = EXCLUDED.period_ms,
    grain_hash = EXCLUDED.grain_hash,
    version = r.version % 2147483647 + 1
RETURNING r.version AS "Version"
$sql$),

('DeleteReminderRowKey', $sql$
WITH deleted AS (
    DELETE FROM orleanssync_reminder
    WHERE service_id = @ServiceId
      AND grain_id = @GrainId
      AND reminder_name = @ReminderName
      AND version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted) AS "Deleted"
$sql$),

('DeleteReminderRowsKey', $sql$
DELETE FROM orleanssync_reminder
WHERE service_id = @ServiceId
$sql$)

ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
