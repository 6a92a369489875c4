-- The problem catalog (what the farm can solve today) and the job fields the queue needs.
--
-- diagnostic_* problem types exist only so the test suite can exercise slow, runaway and
-- crashing jobs. No migration inserts them: a process adds their catalog rows only when it
-- runs with MATHFARM_ENABLE_DIAGNOSTIC_PROBLEMS=1, which production never sets.
ALTER TYPE problem_type ADD VALUE IF NOT EXISTS 'diagnostic_sleep';
ALTER TYPE problem_type ADD VALUE IF NOT EXISTS 'diagnostic_crash';

-- Where the job's current queue entry lives (stream key and entry id), so the reconciler can
-- tell a job Redis lost from one still waiting, and a deleted entry can be traced to its job.
ALTER TABLE solutions ADD COLUMN queue_stream VARCHAR(100);
ALTER TABLE solutions ADD COLUMN queue_entry_id VARCHAR(64);
-- Set once the charge of a terminal job is settled or refunded; the reconciler finishes the
-- ones a crash left unresolved.
ALTER TABLE solutions ADD COLUMN charge_resolved BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE solutions ADD COLUMN completed_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE solutions ADD COLUMN stats_date DATE NOT NULL DEFAULT ((CURRENT_TIMESTAMP AT TIME ZONE 'Asia/Ho_Chi_Minh')::date);
CREATE INDEX idx_solutions_queue_entry ON solutions(queue_entry_id);
CREATE INDEX idx_solutions_unresolved ON solutions(updated_at) WHERE NOT charge_resolved AND status IN ('completed', 'failed', 'timeout', 'cancelled');
CREATE INDEX idx_solutions_charge ON solutions(charge_id);

-- Running sums behind avg_processing_time_ms, so the average stays exact when updated
-- incrementally: avg = total_processing_time_ms / timed_solutions.
ALTER TABLE problem_statistics ADD COLUMN total_processing_time_ms BIGINT NOT NULL DEFAULT 0;
ALTER TABLE problem_statistics ADD COLUMN timed_solutions INTEGER NOT NULL DEFAULT 0;
ALTER TABLE problem_statistics ADD COLUMN cancelled_solutions INTEGER NOT NULL DEFAULT 0;
