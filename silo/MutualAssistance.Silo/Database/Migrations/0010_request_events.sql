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


-- The version of an authority's data, without a hot row. Every commit of a request used to increment the one
-- counter row of each of its two authorities and NOTIFY in its own transaction: commits of the same authority then
-- waited for each other's row lock, and every notifying commit for the database-wide notification lock, both held
-- through the WAL flush (measured: 300 actions/s, waits on Lock:transactionid; spread over 64 rows per authority it
-- was still 645/s, readmodel_apply 4.5 ms a call, most of it waiting). Now the version of an authority is the sum
-- of the versions of the requests it is a party to: every change raises one of them, so the sum grows with every
-- change and is a function of the data (a rebuilt model gives the same ETags for the same boards). It costs the
-- writes nothing; a read sums one index range per side, and the API reads it at most every few seconds per
-- authority (it caches what the notifications tell it). Notifications leave the commit: the silo sends them in
-- batches after the commits (readmodel_notify), as an invalidation of the API's cache.
DROP TABLE IF EXISTS authority_versions;

CREATE OR REPLACE FUNCTION authority_version(p_authority text)
RETURNS int8
LANGUAGE sql STABLE
AS $$
    SELECT coalesce((SELECT sum(version) FROM request_summaries WHERE requesting_authority = p_authority), 0)::int8
         + coalesce((SELECT sum(version) FROM request_summaries WHERE requested_authority = p_authority
                                                                  AND requesting_authority <> p_authority), 0)::int8
$$;

-- Tells listeners (the API) the current version of each of p_authorities: 'authority:version' on authority_changed.
CREATE OR REPLACE FUNCTION readmodel_notify(p_authorities text[])
RETURNS int4
LANGUAGE plpgsql
AS $$
DECLARE
    v_party record;
    v_count int4 := 0;
BEGIN
    FOR v_party IN
        SELECT authority, authority_version(authority) AS version
          FROM (SELECT DISTINCT unnest(p_authorities) AS authority) a ORDER BY authority
    LOOP
        PERFORM pg_notify('authority_changed', v_party.authority || ':' || v_party.version);
        v_count := v_count + 1;
    END LOOP;
    RETURN v_count;
END;
$$;

CREATE OR REPLACE FUNCTION readmodel_apply(p_batch jsonb)
RETURNS int4
LANGUAGE plpgsql
AS $$
DECLARE
    item        jsonb;
    v_id        uuid;
    v_count     int4;
    v_applied   int4 := 0;

BEGIN
    FOR item IN
        SELECT value FROM jsonb_array_elements(p_batch)
        ORDER BY (value ->> 'requestId')::uuid, (value ->> 'version')::int4
    LOOP
        v_id := (item ->> 'requestId')::uuid;
        INSERT INTO request_summaries AS s
            (request_id, version, status, requesting_authority, requested_authority, legal_basis, urgency, subject,
             filed_at, received_at, escalation_level, next_event_at, changed_at, projected_at)
        VALUES
            (v_id, (item ->> 'version')::int4, item ->> 'status', item ->> 'requestingAuthority', item ->> 'requestedAuthority',
             item ->> 'legalBasis', item ->> 'urgency', item ->> 'subject', (item ->> 'filedAt')::timestamptz,
             (item ->> 'receivedAt')::timestamptz, (item ->> 'escalationLevel')::int4, (item ->> 'nextEventAt')::timestamptz,
             (item ->> 'changedAt')::timestamptz, now())
        ON CONFLICT (request_id) DO UPDATE
            SET version = EXCLUDED.version, status = EXCLUDED.status,
                requesting_authority = EXCLUDED.requesting_authority, requested_authority = EXCLUDED.requested_authority,
                legal_basis = EXCLUDED.legal_basis, urgency = EXCLUDED.urgency, subject = EXCLUDED.subject,
                filed_at = EXCLUDED.filed_at, received_at = EXCLUDED.received_at, escalation_level = EXCLUDED.escalation_level,
                next_event_at = EXCLUDED.next_event_at, changed_at = EXCLUDED.changed_at, projected_at = now()
            WHERE s.version < EXCLUDED.version;
        GET DIAGNOSTICS v_count = ROW_COUNT;
        IF v_count > 0 THEN
            -- Clocks the request no longer has (a clock is never removed today; kept for rebuilt projections).
            DELETE FROM request_clocks c
             WHERE c.request_id = v_id
               AND c.clock_id <> ALL (SELECT (x ->> 'clockId')::int4 FROM jsonb_array_elements(item -> 'clocks') x);
            -- New clocks, and clocks of which something changed; identical rows are left untouched.
            INSERT INTO request_clocks AS c
                (request_id, clock_id, kind, responsible_authority, responsible_side, state, started_at, due_at,
                 stopped_at, breached_at, escalation_level, requesting_authority, requested_authority)
            SELECT v_id, j."clockId", j.kind, j."responsibleAuthority", j."responsibleSide", j.state, j."startedAt",
                   j."dueAt", j."stoppedAt", j."breachedAt", j."escalationLevel",
                   item ->> 'requestingAuthority', item ->> 'requestedAuthority'
              FROM jsonb_to_recordset(item -> 'clocks') AS j
                   ("clockId" int4, kind text, "responsibleAuthority" text, "responsibleSide" text, state text,
                    "startedAt" timestamptz, "dueAt" timestamptz, "stoppedAt" timestamptz, "breachedAt" timestamptz,
                    "escalationLevel" int4)
            ON CONFLICT (request_id, clock_id) DO UPDATE
                SET kind = EXCLUDED.kind, responsible_authority = EXCLUDED.responsible_authority,
                    responsible_side = EXCLUDED.responsible_side, state = EXCLUDED.state, started_at = EXCLUDED.started_at,
                    due_at = EXCLUDED.due_at, stopped_at = EXCLUDED.stopped_at, breached_at = EXCLUDED.breached_at,
                    escalation_level = EXCLUDED.escalation_level, requesting_authority = EXCLUDED.requesting_authority,
                    requested_authority = EXCLUDED.requested_authority
                WHERE (c.kind, c.responsible_authority, c.responsible_side, c.state, c.started_at, c.due_at, c.stopped_at,
                       c.breached_at, c.escalation_level, c.requesting_authority, c.requested_authority)
                      IS DISTINCT FROM
                      (EXCLUDED.kind, EXCLUDED.responsible_authority, EXCLUDED.responsible_side, EXCLUDED.state,
                       EXCLUDED.started_at, EXCLUDED.due_at, EXCLUDED.stopped_at, EXCLUDED.breached_at,
                       EXCLUDED.escalation_level, EXCLUDED.requesting_authority, EXCLUDED.requested_authority);
            v_applied := v_applied + 1;
        END IF;
    END LOOP;

    RETURN v_applied;
END;
$$;

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

    PERFORM readmodel_apply(jsonb_build_array(p_projection));
    RETURN true;
END;
$$;
