-- user_service_db: users, roles, sessions and the user_balance read model.
-- Seed schema (../shared/design/seed-schema.md) plus what the auth design needs:
-- refresh tokens are stored only as SHA-256 hashes; rotated hashes are kept so a
-- reused token can be recognised and its whole session revoked.
CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

CREATE OR REPLACE FUNCTION set_updated_at() RETURNS trigger AS $$
BEGIN
    NEW.updated_at = CURRENT_TIMESTAMP;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TABLE user_roles (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    role_name VARCHAR(50) UNIQUE NOT NULL,
    permissions JSONB DEFAULT '{}',
    description TEXT,
    is_active BOOLEAN DEFAULT TRUE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);
CREATE TRIGGER user_roles_updated_at BEFORE UPDATE ON user_roles FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE users (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    email VARCHAR(255) UNIQUE NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    full_name VARCHAR(255) NOT NULL,
    phone VARCHAR(20),
    role_id UUID REFERENCES user_roles(id),
    is_active BOOLEAN DEFAULT TRUE,
    is_verified BOOLEAN DEFAULT FALSE,
    last_login TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION set_updated_at();
CREATE INDEX idx_users_email ON users(email);
CREATE INDEX idx_users_phone ON users(phone);
CREATE INDEX idx_users_role_active ON users(role_id, is_active);
CREATE INDEX idx_users_is_active ON users(is_active);

CREATE TABLE user_sessions (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- Opaque session identifier (not a credential): the access token's `sid` claim names the row id.
    session_token VARCHAR(255) UNIQUE NOT NULL,
    -- SHA-256 (hex) of the current refresh token; the token itself is never stored.
    refresh_token VARCHAR(255) UNIQUE NOT NULL,
    device_info JSONB,
    ip_address INET,
    user_agent TEXT,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_sessions_token ON user_sessions(session_token);
CREATE INDEX idx_sessions_user ON user_sessions(user_id);
CREATE INDEX idx_sessions_expires ON user_sessions(expires_at);

-- Hashes of refresh tokens that were rotated away. Presenting one of them again means the
-- token leaked (or the client raced itself): the session it belongs to is revoked.
CREATE TABLE rotated_refresh_tokens (
    token_hash VARCHAR(255) PRIMARY KEY,
    session_id UUID NOT NULL REFERENCES user_sessions(id) ON DELETE CASCADE,
    rotated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_rotated_refresh_session ON rotated_refresh_tokens(session_id);

-- Read model of payment_service_db.wallets, kept by the outbox relay.
-- current_balance mirrors wallets.available (what the user can spend now); held mirrors the
-- money reserved by pending solve charges. wallet_version makes the relay idempotent and
-- order-tolerant: an event only applies when it is newer than what the row already shows.
CREATE TABLE user_balance (
    user_id UUID UNIQUE NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    current_balance DECIMAL(15,2) DEFAULT 0.00,
    total_deposited DECIMAL(15,2) DEFAULT 0.00,
    total_spent DECIMAL(15,2) DEFAULT 0.00,
    held DECIMAL(15,2) NOT NULL DEFAULT 0.00,
    wallet_version BIGINT NOT NULL DEFAULT 0,
    last_transaction_at TIMESTAMP WITH TIME ZONE,
    created_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP,
    updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP
);
CREATE TRIGGER user_balance_updated_at BEFORE UPDATE ON user_balance FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Failed-login counters for rate limiting (per email and per client IP), shared by every API
-- replica because they live in the database rather than in process memory.
CREATE TABLE login_throttle (
    scope VARCHAR(16) NOT NULL,
    subject VARCHAR(255) NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    window_started_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (scope, subject)
);

INSERT INTO user_roles (role_name, permissions, description) VALUES
    ('admin', '{"solutions.submit": true, "solutions.read_all": true, "users.read": true, "content.write": true}', 'Customer account with staff-level read access'),
    ('user', '{"solutions.submit": true}', 'Regular customer'),
    ('premium_user', '{"solutions.submit": true, "solutions.priority": true, "pricing.premium_discount": true}', 'Premium customer: priority queue and discounted prices');
