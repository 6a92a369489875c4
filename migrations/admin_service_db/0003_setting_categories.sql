-- The five setting categories (issue 6).
ALTER TABLE system_settings ADD CONSTRAINT system_settings_category_check
    CHECK (category IN ('general', 'payment', 'email', 'security', 'maintenance'));

INSERT INTO system_settings (setting_key, setting_value, setting_type, category, is_public, is_encrypted, description, validation_rules) VALUES
    ('security_contact', 'baomat@mathfarm.vn', 'string', 'security', true, false, 'Nơi báo lỗ hổng bảo mật / Where to report a vulnerability', '{"max_length": 255, "pattern": "[^@\\s]+@[^@\\s]+\\.[^@\\s]+"}')
ON CONFLICT (setting_key) DO NOTHING;
