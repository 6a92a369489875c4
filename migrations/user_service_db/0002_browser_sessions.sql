-- Browser sessions of the website (issue 14). The JSON API keeps its bearer tokens and
-- user_sessions; a browser holds only an opaque random token in an HttpOnly, SameSite=Lax
-- cookie, and this table keeps its SHA-256, so a leaked table holds no usable cookie.
-- csrf_token is the synchronizer token every form of the session carries (it is useless
-- without the cookie). Sessions slide: last_seen_at moves at most every few minutes and
-- expires_at with it; deactivating a customer or changing the password deletes them.
CREATE TABLE browser_sessions (
    id UUID PRIMARY KEY DEFAULT uuid_generate_v4(),
    token_hash VARCHAR(64) UNIQUE NOT NULL,
    user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token VARCHAR(64) NOT NULL,
    ip_address INET,
    user_agent TEXT,
    created_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_seen_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX idx_browser_sessions_user ON browser_sessions(user_id);
CREATE INDEX idx_browser_sessions_expires ON browser_sessions(expires_at);
