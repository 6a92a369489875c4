-- reference_code is UNIQUE, and the unique constraint's index already serves every lookup by
-- reference: this second index on the same column only cost an index write per movement.
DROP INDEX IF EXISTS idx_transactions_reference;
