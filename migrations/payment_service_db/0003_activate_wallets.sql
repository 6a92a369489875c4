-- MoMo and ZaloPay deposits: their create, IPN/callback and query flows are in place (issue 5).
UPDATE payment_methods SET is_active = true WHERE method_type IN ('momo', 'zalopay');
