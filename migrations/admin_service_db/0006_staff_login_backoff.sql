-- Staff login backoff (issue 12 §4), the same rules as customers' (LoginBackoff): per account,
-- per account and address, per address. It replaces the hard lock of admin_users.login_attempts
-- and locked_until, which anyone who knew a user name could renew forever; those columns stay
-- for old rows and are no longer written.
CREATE TABLE staff_login_throttle (
    scope VARCHAR(16) NOT NULL,
    subject VARCHAR(400) NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    window_started_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    last_failure_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    blocked_until TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (scope, subject)
);
UPDATE admin_users SET login_attempts = 0, locked_until = NULL;
