-- OrleansSync schema, migration 0002: cluster membership for Microsoft.Orleans.Clustering.AdoNet.
--
-- Contract (what the provider expects, see the provider's DbStoredQueries/RelationalOrleansQueries):
--  * one version row per cluster (DeploymentId = ClusterId); its version is the membership table's ETag.
--    InsertMembershipKey and UpdateMembershipKey succeed only when @Version equals the stored version and
--    then increment it in the same statement, so two silos racing on a stale view cannot both win;
--  * the read queries return the version row LEFT JOINed to the silo rows: the provider takes the table
--    version from the first row and treats a row whose StartTime is NULL as "no silo", so they must return
--    one row even when the cluster has no silos;
--  * writes answer with a single boolean column;
--  * SiloStatus values: 3 = Active, 6 = Dead.

CREATE TABLE IF NOT EXISTS orleanssync_membership_version
(
    deployment_id text        NOT NULL,
    version       integer     NOT NULL DEFAULT 0,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orleanssync_membership_version_pkey PRIMARY KEY (deployment_id)
);

CREATE TABLE IF NOT EXISTS orleanssync_membership
(
    deployment_id   text        NOT NULL,
    address         varchar(45) NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer     NOT NULL,
    -- "silo,time|silo,time" exactly as the provider formats it; NULL when nobody suspects the silo.
    suspect_times   text        NULL,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    CONSTRAINT orleanssync_membership_pkey PRIMARY KEY (deployment_id, address, port, generation),
    -- Deleting a cluster's version row (DeleteMembershipTableEntriesKey) removes its silos with it.
    CONSTRAINT orleanssync_membership_version_fkey FOREIGN KEY (deployment_id)
        REFERENCES orleanssync_membership_version (deployment_id) ON DELETE CASCADE
);

INSERT INTO orleansquery (querykey, querytext) VALUES

-- Creates the version row of a cluster if it is missing; answers whether this call created it.
('InsertMembershipVersionKey', $sql$
WITH created AS (
    INSERT INTO orleanssync_membership_version (deployment_id, version)
    VALUES (@DeploymentId, 0)
    ON CONFLICT (deployment_id) DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM created) AS "Inserted"
$sql$),

-- Adds a silo. The version check, the version bump and the insert are one statement: the UPDATE locks the
-- version row, so concurrent writers are serialised and all but one see a changed version and fail.
('InsertMembershipKey', $sql$
WITH bumped AS (
    UPDATE orleanssync_membership_version AS v
    SET version = v.version + 1, updated_at = now()
    WHERE v.deployment_id = @DeploymentId
      AND v.version = @Version
      AND NOT EXISTS (
          SELECT 1 FROM orleanssync_membership AS m
          WHERE m.deployment_id = @DeploymentId
            AND m.address = @Address AND m.port = @Port AND m.generation = @Generation)
    RETURNING v.deployment_id
), added AS (
    INSERT INTO orleanssync_membership
        (deployment_id, address, port, generation, silo_name, host_name, status, proxy_port, start_time, i_am_alive_time)
    SELECT b.deployment_id, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime
    FROM bumped AS b
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM added) AS "Inserted"
$sql$),

-- Changes a silo's status and suspicions under the same version rule as InsertMembershipKey.
('UpdateMembershipKey', $sql$
WITH bumped AS (
    UPDATE orleanssync_membership_version AS v
    SET version = v.version + 1, updated_at = now()
    WHERE v.deployment_id = @DeploymentId
      AND v.version = @Version
      AND EXISTS (
          SELECT 1 FROM orleanssync_membership AS m
          WHERE m.deployment_id = @DeploymentId
            AND m.address = @Address AND m.port = @Port AND m.generation = @Generation)
    RETURNING v.deployment_id
), changed AS (
    UPDATE orleanssync_membership AS m
    SET status = @Status, suspect_times = @SuspectTimes, i_am_alive_time = @IAmAliveTime
    FROM bumped AS b
    WHERE m.deployment_id = b.deployment_id
      AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM changed) AS "Updated"
$sql$),

-- The liveness heartbeat: deliberately does not touch the table version (it is not a membership change).
('UpdateIAmAlivetimeKey', $sql$
UPDATE orleanssync_membership
SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId
  AND address = @Address AND port = @Port AND generation = @Generation
$sql$),

('MembershipReadRowKey', $sql$
SELECT v.version         AS "Version",
       m.address         AS "Address",
       m.port            AS "Port",
       m.generation      AS "Generation",
       m.silo_name       AS "SiloName",
       m.host_name       AS "HostName",
       m.status          AS "Status",
       m.proxy_port      AS "ProxyPort",
       m.suspect_times   AS "SuspectTimes",
       m.start_time      AS "StartTime",
       m.i_am_alive_time AS "IAmAliveTime"
FROM orleanssync_membership_version AS v
LEFT JOIN orleanssync_membership AS m
       ON m.deployment_id = v.deployment_id
      AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId
$sql$),

('MembershipReadAllKey', $sql$
SELECT v.version         AS "Version",
       m.address         AS "Address",
       m.port            AS "Port",
       m.generation      AS "Generation",
       m.silo_name       AS "SiloName",
       m.host_name       AS "HostName",
       m.status          AS "Status",
       m.proxy_port      AS "ProxyPort",
       m.suspect_times   AS "SuspectTimes",
       m.start_time      AS "StartTime",
       m.i_am_alive_time AS "IAmAliveTime"
FROM orleanssync_membership_version AS v
LEFT JOIN orleanssync_membership AS m ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
ORDER BY m.address, m.port, m.generation
$sql$),

-- Used by clients (and silos) to find gateways; @Status is Active.
('GatewaysQueryKey', $sql$
SELECT m.address    AS "Address",
       m.proxy_port AS "ProxyPort",
       m.generation AS "Generation"
FROM orleanssync_membership AS m
WHERE m.deployment_id = @DeploymentId
  AND m.status = @Status
  AND m.proxy_port > 0
$sql$),

-- Removes a whole cluster; its silo rows go with the version row (ON DELETE CASCADE).
('DeleteMembershipTableEntriesKey', $sql$
DELETE FROM orleanssync_membership_version
WHERE deployment_id = @DeploymentId
$sql$),

-- Bulk clean-up of dead silos that stopped reporting before @IAmAliveTime. Used by providers that do not
-- know CleanupDefunctSiloEntryKey.
('CleanupDefunctSiloEntriesKey', $sql$
DELETE FROM orleanssync_membership
WHERE deployment_id = @DeploymentId
  AND status = 6
  AND i_am_alive_time < @IAmAliveTime
$sql$),

-- Optional key (provider 10.4+): deletes one dead silo row only if it still holds the values the provider
-- read (times and suspicions), so a row changed since that read is left alone. When this key is present the
-- provider uses it instead of CleanupDefunctSiloEntriesKey.
('CleanupDefunctSiloEntryKey', $sql$
DELETE FROM orleanssync_membership
WHERE deployment_id = @DeploymentId
  AND address = @Address AND port = @Port AND generation = @Generation
  AND status = 6
  AND start_time = @StartTime
  AND i_am_alive_time = @IAmAliveTime
  AND coalesce(suspect_times, '') = coalesce(@SuspectTimes, '')
$sql$)

ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
