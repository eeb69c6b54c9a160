-- Placeholder for migration 0009, which another branch defines (migrations must be numbered without gaps).
-- When merging, take the other branch's 0009_queue_batches.sql and drop this file's content.
SELECT 1;
