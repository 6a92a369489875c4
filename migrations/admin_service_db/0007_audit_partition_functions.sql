-- The audit trail's monthly partitions are created ahead and dropped after retention by the
-- services themselves (AuditLog.ensurePartitions / dropExpiredPartitions). The services log in as
-- a least-privilege role that owns no table and may run no DDL (issue 23: `mathfarm migrate
-- --grant-to`), so the two statements live in functions that run as their owner, the role that
-- ran this migration. They take only a year and a month: the partition's name and bounds are
-- built here, and a drop touches only a partition of audit_logs.
CREATE FUNCTION audit_logs_partition_name(year integer, month integer) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF year NOT BETWEEN 2000 AND 9999 OR month NOT BETWEEN 1 AND 12 THEN
        RAISE EXCEPTION 'no such month: % %', year, month;
    END IF;
    RETURN format('audit_logs_y%sm%s', lpad(year::text, 4, '0'), lpad(month::text, 2, '0'));
END
$$;

CREATE FUNCTION audit_logs_create_partition(year integer, month integer) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    partition_name text;
    lower_bound timestamptz;
BEGIN
    partition_name := public.audit_logs_partition_name(year, month);
    IF to_regclass('public.' || partition_name) IS NOT NULL THEN
        RETURN false;
    END IF;
    lower_bound := make_timestamptz(year, month, 1, 0, 0, 0, 'UTC');
    EXECUTE format('CREATE TABLE IF NOT EXISTS public.%I PARTITION OF public.audit_logs FOR VALUES FROM (%L) TO (%L)',
                   partition_name, lower_bound, lower_bound + interval '1 month');
    RETURN true;
END
$$;

CREATE FUNCTION audit_logs_drop_partition(year integer, month integer) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    partition_name text;
    partition regclass;
BEGIN
    partition_name := public.audit_logs_partition_name(year, month);
    partition := to_regclass('public.' || partition_name);
    IF partition IS NULL OR NOT EXISTS (
        SELECT 1 FROM pg_inherits WHERE inhrelid = partition AND inhparent = 'public.audit_logs'::regclass
    ) THEN
        RETURN false;
    END IF;
    EXECUTE format('DROP TABLE public.%I', partition_name);
    RETURN true;
END
$$;

REVOKE ALL ON FUNCTION audit_logs_create_partition(integer, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION audit_logs_drop_partition(integer, integer) FROM PUBLIC;
