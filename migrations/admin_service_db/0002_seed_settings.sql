-- Runtime settings (issue 6). Values are text, typed by setting_type and checked against
-- validation_rules by the admin service. Encrypted values are written by the API only (AES-GCM
-- with MATHFARM_SETTINGS_KEY); the seed leaves them empty.
INSERT INTO system_settings (setting_key, setting_value, setting_type, category, is_public, is_encrypted, description, validation_rules) VALUES
    ('site_name', 'MathFarm', 'string', 'general', true, false, 'Tên hiển thị / Display name', '{"max_length": 100}'),
    ('support_email', 'hotro@mathfarm.vn', 'string', 'email', true, false, 'Email hỗ trợ / Support e-mail', '{"max_length": 255, "pattern": "[^@\\s]+@[^@\\s]+\\.[^@\\s]+"}'),
    ('maintenance_mode', 'false', 'boolean', 'maintenance', true, false, 'Từ chối giải bài và nạp tiền mới (503) / Refuse new solves and deposits (503)', NULL),
    ('maintenance_message', 'Hệ thống đang bảo trì. / Maintenance in progress.', 'string', 'maintenance', true, false, 'Thông báo bảo trì / Maintenance notice', '{"max_length": 500}'),
    ('premium_discount_percent', '20', 'integer', 'payment', false, false, 'Giảm giá cho tài khoản premium (%) / Premium discount (%)', '{"min": 0, "max": 90}'),
    ('smtp_password', NULL, 'string', 'email', false, true, 'Mật khẩu SMTP (mã hóa) / SMTP password (encrypted)', '{"max_length": 200}')
ON CONFLICT (setting_key) DO NOTHING;
