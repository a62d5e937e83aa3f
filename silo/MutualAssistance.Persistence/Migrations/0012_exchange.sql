-- 0011: the exchange between nodes (silo/MutualAssistance.Federation/PROTOCOL.md).
--
-- The outbox is the request's own history: request_commit marks a shared request's new events for the peer in
-- the same transaction (exchange_outbox), and the relay sends every event after delivered_sequence until the
-- peer's signed receipt says it has them. Nothing here is ever given up: a row waits, with its last error, until
-- it is delivered.

CREATE TABLE IF NOT EXISTS exchange_outbox
(
    request_id         uuid        NOT NULL,
    peer               text        NOT NULL,
    head_sequence      int4        NOT NULL,            -- the request's last event here
    delivered_sequence int4        NOT NULL DEFAULT 0,  -- the last event the peer is known to have
    pending_since      timestamptz NULL,                -- when the oldest undelivered event was committed
    next_attempt_at    timestamptz NOT NULL DEFAULT now(),
    attempts           int4        NOT NULL DEFAULT 0,
    last_error         text        NULL,
    delivered_at       timestamptz NULL,
    receipt            bytea       NULL,                -- the peer's last signed receipt (COSE_Sign1)
    in_agreement       boolean     NOT NULL DEFAULT true, -- false: a receipt's chain head disagreed with ours
    PRIMARY KEY (request_id, peer)
);

CREATE INDEX IF NOT EXISTS exchange_outbox_due ON exchange_outbox (next_attempt_at) WHERE head_sequence > delivered_sequence;
CREATE INDEX IF NOT EXISTS exchange_outbox_disagreeing ON exchange_outbox (request_id) WHERE NOT in_agreement;

-- Actions taken on the following node, sent to the ordering node until decided there. Numbered per request.
CREATE TABLE IF NOT EXISTS exchange_commands
(
    request_id      uuid        NOT NULL,
    sequence        int4        NOT NULL CHECK (sequence > 0),
    peer            text        NOT NULL,
    action          text        NOT NULL,
    subject         text        NOT NULL,
    command         jsonb       NOT NULL,  -- the command as it travels (ExchangeJson)
    created_at      timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    attempts        int4        NOT NULL DEFAULT 0,
    last_error      text        NULL,
    decided_at      timestamptz NULL,
    outcome         text        NULL,      -- the ordering node's decision (action outcome wire name)
    detail          text        NULL,
    PRIMARY KEY (request_id, sequence)
);

CREATE INDEX IF NOT EXISTS exchange_commands_pending ON exchange_commands (next_attempt_at) WHERE decided_at IS NULL;

-- Changes that arrived before the events they follow, kept until the gap is filled.
CREATE TABLE IF NOT EXISTS exchange_held
(
    request_id     uuid        NOT NULL,
    after_sequence int4        NOT NULL,
    sender         text        NOT NULL,
    change         jsonb       NOT NULL,
    held_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (request_id, after_sequence)
);

-- Every signed receipt and decision a peer sent this node: the delivery evidence, kept.
CREATE TABLE IF NOT EXISTS exchange_receipts
(
    id            bigserial   PRIMARY KEY,
    request_id    uuid        NOT NULL,
    peer          text        NOT NULL,
    sequence      int4        NOT NULL,
    envelope_hash text        NOT NULL,
    outcome       text        NOT NULL,
    receipt       bytea       NOT NULL,
    received_at   timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS exchange_receipts_request ON exchange_receipts (request_id, id);

-- request_commit gains the outbox: p_peer names the peer of a shared request; p_peer_has is how far the peer has
-- the history (the events came from it) or NULL (they were recorded here and wait to be sent). 0010's function
-- keeps doing the commit itself, under the name request_commit_change; the new request_commit calls it and marks
-- the outbox in the same transaction.
DO $$
BEGIN
    IF to_regprocedure('request_commit_change(uuid, int4, int4, bytea, int4[], timestamptz[], int8[], text[], text[], text[], text[], text[], text[], text[], jsonb[], text[], text[], jsonb)') IS NULL THEN
        ALTER FUNCTION request_commit(uuid, int4, int4, bytea, int4[], timestamptz[], int8[], text[], text[], text[], text[],
                                      text[], text[], text[], jsonb[], text[], text[], jsonb)
            RENAME TO request_commit_change;
    END IF;
END;
$$;

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
    p_projection        jsonb,
    p_peer              text,
    p_peer_has          int4)
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
    v_head int4;
BEGIN
    IF NOT request_commit_change(p_request_id, p_expected_version, p_version, p_payload, p_sequence, p_at, p_at_ticks,
                                 p_event, p_actor_subject, p_actor_authority, p_actor_role, p_reason, p_status_before,
                                 p_status_after, p_clock_changes, p_previous_hash, p_hash, p_projection) THEN
        RETURN false;
    END IF;

    IF p_peer IS NOT NULL AND cardinality(p_sequence) > 0 THEN
        v_head := p_sequence[cardinality(p_sequence)];
        INSERT INTO exchange_outbox AS o (request_id, peer, head_sequence, delivered_sequence, pending_since, next_attempt_at)
        VALUES (p_request_id, p_peer, v_head, coalesce(p_peer_has, 0),
                CASE WHEN coalesce(p_peer_has, 0) < v_head THEN now() END, now())
        ON CONFLICT (request_id, peer) DO UPDATE
           SET head_sequence      = greatest(o.head_sequence, EXCLUDED.head_sequence),
               delivered_sequence = greatest(o.delivered_sequence, EXCLUDED.delivered_sequence),
               pending_since      = CASE WHEN greatest(o.delivered_sequence, EXCLUDED.delivered_sequence) >= greatest(o.head_sequence, EXCLUDED.head_sequence)
                                         THEN NULL ELSE coalesce(o.pending_since, now()) END,
               -- A peer that has been failing keeps its backoff; otherwise the new events go at once.
               next_attempt_at    = CASE WHEN o.attempts > 0 THEN o.next_attempt_at ELSE now() END;
    END IF;

    RETURN true;
END;
$$;
