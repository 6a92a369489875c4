-- payment_service_db: the single authority for money (ARCHITECTURE.md section 2).
--
-- Partitioning decision: the seed partitions `transactions` by quarter, but PostgreSQL
-- requires every unique constraint (and primary key) of a partitioned table to include the
-- partition key. `transactions.id` is referenced by `transaction_logs` and `balances`, and
-- `reference_code` must be unique across all time (it is the idempotency key of every money
-- movement). Partitioning by created_at would turn both into (x, created_at) pairs and lose
-- global uniqueness, which is exactly the property that keeps money from moving twice.
-- We therefore keep `transactions` as one table and meet the seed's goal (cheap pruning of
-- old rows) with the indexes below plus BRIN on created_at; the table stays small enough for
-- years at our scale (one row per deposit or solve). If it ever is not, the plan is to move
-- closed quarters into an archive table (unique keys checked against both) rather than
-- weaken the constraints. audit_logs (admin_service_db) is partitioned by month as the seed asks.
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger AS $$
BEGIN
    NEW.updated_at = CURRENT_TIMESTAMP;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TYPE payment_method_type AS ENUM ('vnpay', 'momo', 'zalopay', 'bank_transfer', 'qr_code');
CREATE TYPE transaction_type AS ENUM ('deposit', 'solve_charge', 'refund', 'adjustment');
CREATE TYPE transaction_status AS ENUM ('pending', 'completed', 'failed', 'refunded', 'cancelled', 'expired');

CREATE TABLE payment_methods (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    method_type payment_method_type NOT NULL,
    method_name VARCHAR(100) NOT NULL,
    config JSONB DEFAULT '{}',
    fee_percentage DECIMAL(5,4) DEFAULT 0.0000,
    min_amount DECIMAL(15,2) DEFAULT 10000.00,
    max_amount DECIMAL(15,2) DEFAULT 50000000.00,
    is_active BOOLEAN DEFAULT TRUE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);
CREATE TRIGGER payment_methods_updated_at BEFORE UPDATE ON payment_methods FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- One row per user: every money change locks this row.
CREATE TABLE wallets (
    user_id UUID PRIMARY KEY,
    available DECIMAL(15,2) NOT NULL DEFAULT 0.00 CHECK (available >= 0),
    held DECIMAL(15,2) NOT NULL DEFAULT 0.00 CHECK (held >= 0),
    total_deposited DECIMAL(15,2) NOT NULL DEFAULT 0.00,
    total_spent DECIMAL(15,2) NOT NULL DEFAULT 0.00,
    version BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);
CREATE TRIGGER wallets_updated_at BEFORE UPDATE ON wallets FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE transactions (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    user_id UUID NOT NULL,
    transaction_type transaction_type NOT NULL,
    payment_method_id UUID REFERENCES payment_methods(id),
    -- Positive for every type except an adjustment, whose sign says credit (+) or debit (-).
    amount DECIMAL(15,2) NOT NULL,
    fee_amount DECIMAL(15,2) DEFAULT 0.00,
    net_amount DECIMAL(15,2) NOT NULL,
    status transaction_status DEFAULT 'pending',
    reference_code VARCHAR(100) UNIQUE,
    external_transaction_id VARCHAR(255),
    description TEXT,
    metadata JSONB DEFAULT '{}',
    -- A pending solve charge (a hold) must be resolved before this instant plus a grace period.
    expires_at TIMESTAMP WITH TIME ZONE,
    resolved_at TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    CHECK (transaction_type = 'adjustment' OR amount > 0),
    CHECK (amount <> 0)
);
CREATE TRIGGER transactions_updated_at BEFORE UPDATE ON transactions FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE INDEX idx_transactions_user_status ON transactions(user_id, status);
CREATE INDEX idx_transactions_user_created ON transactions(user_id, created_at DESC);
CREATE INDEX idx_transactions_created_at ON transactions(created_at DESC);
CREATE INDEX idx_transactions_created_brin ON transactions USING BRIN (created_at);
CREATE INDEX idx_transactions_reference ON transactions(reference_code);
CREATE INDEX idx_transactions_pending_expiry ON transactions(expires_at) WHERE status = 'pending';

CREATE TABLE transaction_logs (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    transaction_id UUID NOT NULL REFERENCES transactions(id),
    old_status transaction_status,
    new_status transaction_status NOT NULL,
    reason TEXT,
    changed_by VARCHAR(100),
    execution_time_ms INTEGER,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_transaction_logs_transaction ON transaction_logs(transaction_id);

-- One snapshot of wallets.available per wallet change, written in the same transaction.
-- seq orders the snapshots of a user so the chain (before = previous after) can be checked.
CREATE TABLE balances (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    user_id UUID NOT NULL,
    transaction_id UUID REFERENCES transactions(id),
    balance_before DECIMAL(15,2) NOT NULL,
    balance_after DECIMAL(15,2) NOT NULL,
    change_amount DECIMAL(15,2) NOT NULL,
    wallet_version BIGINT NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    UNIQUE (user_id, wallet_version),
    CHECK (balance_after = balance_before + change_amount)
);
CREATE INDEX idx_balances_transaction ON balances(transaction_id);

-- Transactional outbox: events written in the same transaction as the money change and
-- relayed (at least once, idempotently) to other services.
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
    topic VARCHAR(100) NOT NULL,
    aggregate_id UUID NOT NULL,
    payload JSONB NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    published_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX idx_outbox_unpublished ON outbox(id) WHERE published_at IS NULL;

-- Idempotency-Key records for requests that move money (Stripe-style): the first response is
-- stored and replayed for the same key and body; a different body under the same key is 422.
CREATE TABLE idempotency_keys (
    scope VARCHAR(300) NOT NULL,
    idempotency_key VARCHAR(255) NOT NULL,
    request_hash CHAR(64) NOT NULL,
    response_status INTEGER,
    response_body BYTEA,
    locked_until TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    completed_at TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (scope, idempotency_key)
);
CREATE INDEX idx_idempotency_created ON idempotency_keys(created_at);
