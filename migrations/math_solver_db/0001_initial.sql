-- math_solver_db: the problem catalog, solutions (the job record), views and daily statistics.
-- Seed schema plus the job fields ARCHITECTURE.md section 3 needs: attempt (fencing token),
-- lease, priority and the id of the charge (hold) that pays for the job.
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger AS $$
BEGIN
    NEW.updated_at = CURRENT_TIMESTAMP;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TYPE problem_type AS ENUM (
    'quadratic_equation', 'system_equations', 'derivative',
    'indefinite_integral', 'definite_integral', 'limit'
);
CREATE TYPE difficulty_level AS ENUM ('easy', 'medium', 'hard', 'expert');
CREATE TYPE solution_status AS ENUM ('queued', 'processing', 'completed', 'failed', 'timeout', 'cancelled');

CREATE TABLE math_problems (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    problem_type problem_type NOT NULL UNIQUE,
    problem_name VARCHAR(255) NOT NULL,
    description TEXT,
    input_schema JSONB NOT NULL,
    output_schema JSONB NOT NULL,
    base_price DECIMAL(10,2) NOT NULL CHECK (base_price >= 0),
    difficulty_level difficulty_level DEFAULT 'medium',
    processing_timeout_seconds INTEGER DEFAULT 30 CHECK (processing_timeout_seconds > 0),
    is_active BOOLEAN DEFAULT TRUE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);
CREATE TRIGGER math_problems_updated_at BEFORE UPDATE ON math_problems FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE solutions (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    user_id UUID NOT NULL,
    problem_id UUID NOT NULL REFERENCES math_problems(id),
    input_data JSONB NOT NULL,
    solution_data JSONB,
    status solution_status DEFAULT 'queued',
    cost_paid DECIMAL(10,2) NOT NULL,
    processing_time_ms INTEGER,
    error_message TEXT,
    charge_id UUID,
    priority SMALLINT NOT NULL DEFAULT 0,
    attempt INTEGER NOT NULL DEFAULT 0,
    lease_expires_at TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);
CREATE TRIGGER solutions_updated_at BEFORE UPDATE ON solutions FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE INDEX idx_solutions_user_created ON solutions(user_id, created_at DESC);
CREATE INDEX idx_solutions_problem_status ON solutions(problem_id, status);
CREATE INDEX idx_solutions_status ON solutions(status);
CREATE INDEX idx_solutions_created_at ON solutions(created_at);

CREATE TABLE solution_history (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    solution_id UUID NOT NULL REFERENCES solutions(id),
    user_id UUID NOT NULL,
    access_type VARCHAR(50) DEFAULT 'view',
    accessed_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_solution_history_solution ON solution_history(solution_id);

CREATE TABLE problem_statistics (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    problem_id UUID NOT NULL REFERENCES math_problems(id),
    date DATE NOT NULL,
    total_requests INTEGER DEFAULT 0,
    successful_solutions INTEGER DEFAULT 0,
    failed_solutions INTEGER DEFAULT 0,
    total_revenue DECIMAL(15,2) DEFAULT 0.00,
    avg_processing_time_ms DECIMAL(10,2),
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    UNIQUE(problem_id, date)
);

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
