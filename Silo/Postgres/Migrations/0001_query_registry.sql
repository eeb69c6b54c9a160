-- OrleansSync schema, migration 0001: the query registry read by Orleans' ADO.NET providers.
--
-- The clustering, persistence and reminder providers ship no SQL. At start-up each of them runs
--   SELECT QueryKey, QueryText FROM OrleansQuery
-- and then executes the statement text stored under each key with named parameters (@DeploymentId, ...).
-- PostgreSQL folds the unquoted identifiers in that statement to lower case, so the table and its
-- columns are created in lower case here; the provider reads the columns by name, which Npgsql matches
-- case-insensitively.
--
-- Every statement in the OrleansSync migrations is idempotent so that re-running a script by hand is harmless.

CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64) NOT NULL,
    querytext text        NOT NULL,
    CONSTRAINT orleansquery_pkey PRIMARY KEY (querykey)
);

COMMENT ON TABLE orleansquery IS
    'SQL statements used by the Orleans ADO.NET providers, keyed by the name the provider asks for. Maintained by OrleansSync migrations.';
