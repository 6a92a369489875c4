-- Every write to system_settings (by the API or by hand in psql) tells the listening API
-- processes to reload their settings cache at once, instead of at their next poll.
CREATE FUNCTION notify_settings_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('mathfarm_settings_changed', '');
    RETURN NULL;
END;
$$;

CREATE TRIGGER system_settings_changed
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON system_settings
    FOR EACH STATEMENT EXECUTE FUNCTION notify_settings_changed();
