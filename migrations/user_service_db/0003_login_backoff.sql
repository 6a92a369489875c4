-- Login backoff (issue 12 §4): delays that double per failure past an allowance, per account,
-- per account and address, and per address (a NAT's many customers share it: a high allowance).
-- blocked_until is when the next attempt is accepted; failures are forgotten a window after the
-- last one. Subjects may be "email|address" (up to 255 + 1 + 45 characters).
ALTER TABLE login_throttle ADD COLUMN last_failure_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE login_throttle ADD COLUMN blocked_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE login_throttle ALTER COLUMN subject TYPE VARCHAR(400);
-- Old counters meant a hard lock; they start again under the new rules.
DELETE FROM login_throttle;

-- Refresh-token reuse grace (§4): a rotated token presented again soon after by the same client
-- (two tabs refreshing at once) is refused without revoking the session.
ALTER TABLE rotated_refresh_tokens ADD COLUMN user_agent TEXT;
