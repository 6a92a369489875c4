-- The batched job lifecycle (issue 11): fewer writes per job, and what the benchmark measures.
--
-- request_hash: SHA-256 of the submit body when the client sent an Idempotency-Key. The job id
-- is derived from the key, so the solutions row itself is the idempotency record: a repeat
-- with the same body replays the first answer, a different body under the same key is refused,
-- and no separate idempotency row (two more commits per job) is written.
ALTER TABLE solutions ADD COLUMN request_hash CHAR(64);
-- When the current attempt was claimed (submit → start latency).
ALTER TABLE solutions ADD COLUMN started_at TIMESTAMP WITH TIME ZONE;

-- The queue entry is no longer written back after XADD (a second commit per job): a worker's
-- claim carries the entry, and the reconciler compares queued jobs with the job ids the streams
-- hold. charge_resolved is gone too: a terminal job whose hold is still pending is found from
-- the ledger's pending holds, which is exactly the set a crash can leave behind.
DROP INDEX IF EXISTS idx_solutions_queue_entry;
DROP INDEX IF EXISTS idx_solutions_unresolved;
ALTER TABLE solutions DROP COLUMN queue_stream, DROP COLUMN queue_entry_id, DROP COLUMN charge_resolved;

-- Status lookups only ever ask for live jobs (queued, processing); a partial index is not
-- touched when a job ends, and stays as small as the backlog.
DROP INDEX IF EXISTS idx_solutions_status;
CREATE INDEX idx_solutions_live ON solutions(status, updated_at) WHERE status IN ('queued', 'processing');
