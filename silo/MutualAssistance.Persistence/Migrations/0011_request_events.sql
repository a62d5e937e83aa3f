-- 0010: a request's history in its own append-only table, its current state beside it, and one function that
-- commits a change (new events + state + read-model rows) in one transaction and one round trip.
--
-- Before: the grain state (ADO.NET grain storage, orleans_storage) carried the whole history, so each write sent
-- and rewrote a payload that grew with every event, and the read model was applied afterwards by a batching
-- writer (an outbox in the state, a repair at activation). Now request_state holds the current facts only and
-- request_events one row per event. State written by the previous release is carried over by the silo's
-- `migrate` command (LegacyRequestStates), which needs the Orleans serializer and so is C#, not SQL.

CREATE TABLE IF NOT EXISTS request_state
(
    request_id uuid        PRIMARY KEY,
    version    int4        NOT NULL CHECK (version > 0),  -- the request's version: the concurrency token
    payload    bytea       NOT NULL,                       -- the request without its history (Orleans serializer)
    changed_at timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 80);

-- One row per event, hash-chained: hash covers the event and previous_hash (see HashChain). Names are the wire
-- names the API shows (kebab-case).
CREATE TABLE IF NOT EXISTS request_events
(
    request_id      uuid        NOT NULL,
    sequence        int4        NOT NULL CHECK (sequence > 0),
    at              timestamptz NOT NULL,  -- to the microsecond, for people and queries
    at_ticks        int8        NOT NULL,  -- the exact instant (.NET ticks, UTC) that the hash covers
    event           text        NOT NULL,
    actor_subject   text        NULL,
    actor_authority text        NULL,
    actor_role      text        NULL,
    reason          text        NULL,
    status_before   text        NULL,
    status_after    text        NOT NULL,
    clock_changes   text[]      NOT NULL,
    previous_hash   text        NOT NULL,
    hash            text        NOT NULL,
    PRIMARY KEY (request_id, sequence)
);

-- Append-only: events are never changed or removed by the application (erasure, when it comes, destroys keys,
-- not rows). Someone with the rights to disable this trigger can still alter rows; the hash chain catches that.
CREATE OR REPLACE FUNCTION request_events_append_only() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    RAISE EXCEPTION 'request_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

DROP TRIGGER IF EXISTS request_events_append_only ON request_events;
CREATE TRIGGER request_events_append_only
    BEFORE UPDATE OR DELETE ON request_events
    FOR EACH ROW EXECUTE FUNCTION request_events_append_only();

DROP TRIGGER IF EXISTS request_events_no_truncate ON request_events;
CREATE TRIGGER request_events_no_truncate
    BEFORE TRUNCATE ON request_events
    FOR EACH STATEMENT EXECUTE FUNCTION request_events_append_only();


-- Commits one change of one request: all or nothing.
--   p_expected_version NULL: a filing, inserted only if no state exists; otherwise the stored version must be
--   p_expected_version. A conflict returns false and changes nothing.
--   The events are given column by column (arrays of equal length, clock changes as a JSON array of strings per
--   event); the read-model rows as the projection readmodel_apply reads.
CREATE OR REPLACE FUNCTION request_commit(
    p_request_id        uuid,
    p_expected_version  int4,
    p_version           int4,
    p_payload           bytea,
    p_sequence          int4[],
    p_at                timestamptz[],
    p_at_ticks          int8[],
    p_event             text[],
    p_actor_subject     text[],
    p_actor_authority   text[],
    p_actor_role        text[],
    p_reason            text[],
    p_status_before     text[],
    p_status_after      text[],
    p_clock_changes     jsonb[],
    p_previous_hash     text[],
    p_hash              text[],
    p_projection        jsonb)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    IF p_expected_version IS NULL THEN
        INSERT INTO request_state (request_id, version, payload, changed_at)
        VALUES (p_request_id, p_version, p_payload, now())
        ON CONFLICT (request_id) DO NOTHING;
    ELSE
        UPDATE request_state
           SET version = p_version, payload = p_payload, changed_at = now()
         WHERE request_id = p_request_id
           AND version = p_expected_version;
    END IF;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    INSERT INTO request_events
        (request_id, sequence, at, at_ticks, event, actor_subject, actor_authority, actor_role, reason,
         status_before, status_after, clock_changes, previous_hash, hash)
    SELECT p_request_id, e.sequence, e.at, e.at_ticks, e.event, e.actor_subject, e.actor_authority, e.actor_role, e.reason,
           e.status_before, e.status_after,
           ARRAY(SELECT jsonb_array_elements_text(e.clock_changes)), e.previous_hash, e.hash
      FROM unnest(p_sequence, p_at, p_at_ticks, p_event, p_actor_subject, p_actor_authority, p_actor_role, p_reason,
                  p_status_before, p_status_after, p_clock_changes, p_previous_hash, p_hash)
           AS e (sequence, at, at_ticks, event, actor_subject, actor_authority, actor_role, reason,
                 status_before, status_after, clock_changes, previous_hash, hash);

    -- The read-model rows (the read side's function, MutualAssistance.ReadSide/Schema).
    PERFORM readmodel_apply(jsonb_build_array(p_projection));
    RETURN true;
END;
$$;
