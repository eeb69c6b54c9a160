-- OrleansSync schema, migration 0003: grain state for Microsoft.Orleans.Persistence.AdoNet.
--
-- Contract (see the provider's AdoNetGrainStorage):
--  * a grain is identified by ServiceId, GrainTypeString and its key, passed as GrainIdN0/GrainIdN1
--    (the GUID halves or 0 and the integer key) plus GrainIdExtensionString (the key extension, or the
--    whole key of a string-keyed grain; NULL when there is none). The provider also passes hashes of the
--    key and type; this schema does not need them;
--  * known limitation of the provider (not fixable here, SQL never sees more): "GrainTypeString" is the state
--    name, not the grain type, and a string key that parses as a hex number or a GUID arrives as that number,
--    case-insensitively ("beef", "BEEF" and "0beef" are one key). Grains of different types with the same state
--    name and key, or with such keys, share one row. OrleansSync grains use state names unique per grain type
--    and string keys that cannot parse as hex (see PostgresClusterTests, which pins this behaviour);
--  * the version column is the ETag. A write or clear carries the version the grain last saw
--    (@GrainStateVersion, NULL for a grain that never saw a row) and must change nothing unless it still
--    matches. The statement then returns no row, which the provider turns into InconsistentStateException;
--  * read returns columns PayloadBinary and Version; write/clear/delete return the new version.
-- Versions wrap from 2147483647 to 1 because the provider parses the ETag as a 32-bit integer.
--
-- Needs PostgreSQL 15+ (UNIQUE NULLS NOT DISTINCT): a NULL key extension must be one key, not many.

CREATE TABLE IF NOT EXISTS orleanssync_grain_state
(
    service_id  text        NOT NULL,
    grain_type  text        NOT NULL,
    grain_id_n0 bigint      NOT NULL,
    grain_id_n1 bigint      NOT NULL,
    grain_id_ext text       NULL,
    -- NULL after a clear: the row (and its version) stays so that the ETag chain is never reset.
    payload     bytea       NULL,
    version     integer     NOT NULL,
    modified_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orleanssync_grain_state_key UNIQUE NULLS NOT DISTINCT
        (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_ext)
);

INSERT INTO orleansquery (querykey, querytext) VALUES

('ReadFromStorageKey', $sql$
SELECT s.payload AS "PayloadBinary",
       s.version AS "Version"
FROM orleanssync_grain_state AS s
WHERE s.service_id = @ServiceId
  AND s.grain_type = @GrainTypeString
  AND s.grain_id_n0 = @GrainIdN0
  AND s.grain_id_n1 = @GrainIdN1
  AND s.grain_id_ext IS NOT DISTINCT FROM @GrainIdExtensionString
$sql$),

-- With a version: update only that version. Without one: insert the first row, and do nothing if a row
-- already exists (another activation got there first). Either way a lost race returns no row.
('WriteToStorageKey', $sql$
WITH updated AS (
    UPDATE orleanssync_grain_state AS s
    SET payload = @PayloadBinary,
        version = s.version % 2147483647 + 1,
        modified_at = now()
    WHERE @GrainStateVersion IS NOT NULL
      AND s.version = @GrainStateVersion
      AND s.service_id = @ServiceId
      AND s.grain_type = @GrainTypeString
      AND s.grain_id_n0 = @GrainIdN0
      AND s.grain_id_n1 = @GrainIdN1
      AND s.grain_id_ext IS NOT DISTINCT FROM @GrainIdExtensionString
    RETURNING s.version
), inserted AS (
    INSERT INTO orleanssync_grain_state
        (service_id, grain_type, grain_id_n0, grain_id_n1, grain_id_ext, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, @GrainIdExtensionString, @PayloadBinary, 1
    WHERE @GrainStateVersion IS NULL
    ON CONFLICT ON CONSTRAINT orleanssync_grain_state_key DO NOTHING
    RETURNING version
)
SELECT version AS "NewGrainStateVersion" FROM updated
UNION ALL
SELECT version FROM inserted
$sql$),

-- Clear keeps the row with an empty payload and a new version (DeleteStateOnClear = false).
('ClearStorageKey', $sql$
UPDATE orleanssync_grain_state AS s
SET payload = NULL,
    version = s.version % 2147483647 + 1,
    modified_at = now()
WHERE s.version = @GrainStateVersion
  AND s.service_id = @ServiceId
  AND s.grain_type = @GrainTypeString
  AND s.grain_id_n0 = @GrainIdN0
  AND s.grain_id_n1 = @GrainIdN1
  AND s.grain_id_ext IS NOT DISTINCT FROM @GrainIdExtensionString
RETURNING s.version AS "NewGrainStateVersion"
$sql$),

-- Optional key, used when DeleteStateOnClear = true: removes the row. It answers the deleted version + 1,
-- which the provider only compares with the grain's ETag (it must differ) before setting the ETag to null.
('DeleteStorageKey', $sql$
DELETE FROM orleanssync_grain_state AS s
WHERE s.version = @GrainStateVersion
  AND s.service_id = @ServiceId
  AND s.grain_type = @GrainTypeString
  AND s.grain_id_n0 = @GrainIdN0
  AND s.grain_id_n1 = @GrainIdN1
  AND s.grain_id_ext IS NOT DISTINCT FROM @GrainIdExtensionString
RETURNING s.version % 2147483647 + 1 AS "NewGrainStateVersion"
$sql$)

ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
