-- Events delivered at least once (the outbox relay's wallet changes, a wallet version each) are
-- recorded once per key (new_values->>'audit_key'). The existence check looked the key up among
-- all entries of the entity (one wallet gathers thousands); this index makes it one probe.
CREATE INDEX IF NOT EXISTS idx_audit_logs_audit_key ON audit_logs ((new_values->>'audit_key')) WHERE new_values ? 'audit_key';
