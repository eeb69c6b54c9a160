-- OrleansSync schema, migration 0006: reserved for primary-backup replication (keeps the numbering gap-free).
SELECT 1;
