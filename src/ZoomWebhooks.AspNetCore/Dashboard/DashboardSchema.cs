namespace ZoomWebhooks.Dashboard;

/// <summary>
/// What the dashboard adds to the inbox's database (issue 16). Both pieces stay off the hot path:
/// <list type="bullet">
/// <item>A partial index of dead events: the dead list pages by id through it; pending events are
/// never in it, so accepting and completing an event do not write it.</item>
/// <item><c>inbox_attempts</c>, one row per FAILED attempt, written by a trigger in the statement
/// (so the transaction) that settles the failure: a retry (<c>at</c> = when it is due again) or the
/// final one (<c>at</c> = when it died). A success writes nothing: it is the event's
/// <c>completed_at</c>. The trigger fires only on updates that set <c>last_error</c>, and does
/// nothing unless the error is non-null, so completing an event costs one condition.</item>
/// </list>
/// Times are the dispatcher's (its <see cref="TimeProvider"/>), copied from the row, never the database clock.
/// </summary>
internal static class DashboardSchema
{
    public const string SqliteAttempts = """
        CREATE INDEX ix_inbox_events_dead ON inbox_events (id) WHERE status = 'dead';
        CREATE TABLE inbox_attempts (
            id       INTEGER PRIMARY KEY,
            inbox_id INTEGER NOT NULL,
            attempt  INTEGER NOT NULL,
            outcome  TEXT    NOT NULL,
            error    TEXT,
            at       INTEGER NOT NULL
        );
        CREATE INDEX ix_inbox_attempts_inbox ON inbox_attempts (inbox_id, id);
        CREATE TRIGGER tr_inbox_attempt_failed AFTER UPDATE OF last_error ON inbox_events
            WHEN NEW.last_error IS NOT NULL AND NEW.status IN ('pending', 'dead')
        BEGIN
            INSERT INTO inbox_attempts (inbox_id, attempt, outcome, error, at)
            VALUES (NEW.id, NEW.attempts, CASE NEW.status WHEN 'dead' THEN 'dead' ELSE 'retry' END, NEW.last_error,
                    CASE NEW.status WHEN 'dead' THEN NEW.completed_at ELSE NEW.next_attempt_at END);
        END;
        CREATE TRIGGER tr_inbox_attempts_forget AFTER DELETE ON inbox_events
        BEGIN
            DELETE FROM inbox_attempts WHERE inbox_id = OLD.id;
        END;
        """;

    public const string PostgresAttempts = """
        CREATE INDEX ix_inbox_events_dead ON inbox_events (id) WHERE status = 'dead';
        CREATE TABLE inbox_attempts (
            id       bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            inbox_id bigint  NOT NULL REFERENCES inbox_events (id) ON DELETE CASCADE,
            attempt  integer NOT NULL,
            outcome  text    NOT NULL,
            error    text,
            at       bigint  NOT NULL
        );
        CREATE INDEX ix_inbox_attempts_inbox ON inbox_attempts (inbox_id, id);
        CREATE FUNCTION inbox_attempt_failed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO inbox_attempts (inbox_id, attempt, outcome, error, at)
            VALUES (NEW.id, NEW.attempts, CASE NEW.status WHEN 'dead' THEN 'dead' ELSE 'retry' END, NEW.last_error,
                    CASE NEW.status WHEN 'dead' THEN NEW.completed_at ELSE NEW.next_attempt_at END);
            RETURN NULL;
        END
        $$;
        CREATE TRIGGER tr_inbox_attempt_failed AFTER UPDATE OF last_error ON inbox_events
            FOR EACH ROW WHEN (NEW.last_error IS NOT NULL AND NEW.status IN ('pending', 'dead'))
            EXECUTE FUNCTION inbox_attempt_failed();
        """;
}
