-- Deposit methods (issue 5). Non-secret configuration only: gateway secrets come from the
-- environment (MATHFARM_VNPAY_HASH_SECRET, …), never from this table. MoMo and ZaloPay stay
-- inactive until their create flow (a server-to-server call to the gateway) is in place.
CREATE UNIQUE INDEX payment_methods_type_unique ON payment_methods(method_type);

INSERT INTO payment_methods (method_type, method_name, config, fee_percentage, min_amount, max_amount, is_active) VALUES
    ('vnpay', 'VNPay', '{"api_version": "2.1.0", "currency": "VND", "order_type": "other"}', 0.0110, 10000.00, 50000000.00, true),
    ('momo', 'Ví MoMo / MoMo wallet', '{"api_version": "v2", "request_type": "captureWallet"}', 0.0150, 10000.00, 50000000.00, false),
    ('zalopay', 'ZaloPay', '{"api_version": "v2"}', 0.0100, 10000.00, 50000000.00, false),
    ('bank_transfer', 'Chuyển khoản ngân hàng / Bank transfer', '{"network": "NAPAS 247", "confirmation": "payOS webhook or staff"}', 0.0000, 10000.00, 50000000.00, true),
    ('qr_code', 'VietQR', '{"format": "EMVCo MPM", "network": "NAPAS 247"}', 0.0000, 10000.00, 50000000.00, true)
ON CONFLICT DO NOTHING;

-- A gateway's transaction id credits at most one deposit.
CREATE UNIQUE INDEX transactions_gateway_txn_unique ON transactions(payment_method_id, external_transaction_id)
    WHERE external_transaction_id IS NOT NULL AND transaction_type = 'deposit';
