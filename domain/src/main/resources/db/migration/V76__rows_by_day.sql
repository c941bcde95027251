-- How many rows of action and workflow_instance each UTC day of `created` holds, so that a deep page by offset
-- (`offset=500000`) starts at its day instead of walking half a million index entries (about 30 ms of CPU each time).
-- A ledger: every insert or delete statement appends one row per day it touched, with a positive or negative count,
-- in its own transaction, so any snapshot's sums match the rows that snapshot sees, and writers never wait on each
-- other as they would updating one counter row. DayCounts sums the rows of a day into one from time to time.
CREATE TABLE rows_by_day (
    table_name text NOT NULL,
    day timestamptz NOT NULL,
    delta bigint NOT NULL
);
CREATE INDEX rows_by_day_idx ON rows_by_day (table_name, day);

CREATE FUNCTION rows_by_day_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO rows_by_day (table_name, day, delta)
        SELECT TG_TABLE_NAME, date_trunc('day', created, 'UTC'), count(*) FROM added GROUP BY 2;
    RETURN NULL;
END $$;

CREATE FUNCTION rows_by_day_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO rows_by_day (table_name, day, delta)
        SELECT TG_TABLE_NAME, date_trunc('day', created, 'UTC'), -count(*) FROM removed GROUP BY 2;
    RETURN NULL;
END $$;

-- the API never changes a row's created; a hand-made UPDATE that does moves the row between days
CREATE FUNCTION rows_by_day_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO rows_by_day (table_name, day, delta)
        VALUES (TG_TABLE_NAME, date_trunc('day', OLD.created, 'UTC'), -1),
               (TG_TABLE_NAME, date_trunc('day', NEW.created, 'UTC'), 1);
    RETURN NULL;
END $$;

CREATE FUNCTION rows_by_day_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM rows_by_day WHERE table_name = TG_TABLE_NAME;
    RETURN NULL;
END $$;

-- creating a trigger locks the table against writes until this migration commits, so the counts taken here and
-- the triggers' deltas after them neither miss nor double a row; DayCounts.COUNTED names the same tables
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['action', 'workflow_instance'] LOOP
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS added'
            ' FOR EACH STATEMENT EXECUTE FUNCTION rows_by_day_added()', t || '_rows_added', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS removed'
            ' FOR EACH STATEMENT EXECUTE FUNCTION rows_by_day_removed()', t || '_rows_removed', t);
        EXECUTE format('CREATE TRIGGER %I AFTER UPDATE OF created ON %I FOR EACH ROW'
            ' WHEN (date_trunc(''day'', OLD.created, ''UTC'') <> date_trunc(''day'', NEW.created, ''UTC''))'
            ' EXECUTE FUNCTION rows_by_day_moved()', t || '_rows_moved', t);
        EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I'
            ' FOR EACH STATEMENT EXECUTE FUNCTION rows_by_day_emptied()', t || '_rows_emptied', t);
        EXECUTE format('INSERT INTO rows_by_day (table_name, day, delta)'
            ' SELECT %L, date_trunc(''day'', created, ''UTC''), count(*) FROM %I GROUP BY 2', t, t);
    END LOOP;
END $$;
