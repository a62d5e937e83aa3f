-- 0017: notifications by webhook (README, "Notifications"), per authority, signed per Standard Webhooks.
--
-- Every event a request records here is queued (notification_events, by a trigger on request_events, in the
-- event's own transaction: nothing recorded is missed, and the grain waits for nothing more than one small row).
-- The silo's notifier turns each queued event into one delivery per subscription that must know of it (the rule is
-- C#: Grains/Notifications/NotificationRule) and deletes it from the queue in the same transaction; a delivery is
-- keyed by its subscription and event, so each event reaches each subscription once, whatever restarts.

CREATE TABLE IF NOT EXISTS webhook_subscriptions
(
    id          uuid        PRIMARY KEY,
    authority   text        NOT NULL,             -- the central authority whose notifications it receives
    url         text        NOT NULL,
    secret      text        NOT NULL,             -- whsec_<base64>: the signing key, shown once when subscribing
    event_types text[]      NOT NULL,             -- empty: every type
    created_by  text        NOT NULL,             -- the admin's staff id
    created_at  timestamptz NOT NULL DEFAULT now(),
    removed_at  timestamptz NULL                  -- a removed subscription gets nothing new; its deliveries stay visible
);

CREATE INDEX IF NOT EXISTS webhook_subscriptions_authority ON webhook_subscriptions (authority) WHERE removed_at IS NULL;

CREATE TABLE IF NOT EXISTS notification_events
(
    request_id uuid        NOT NULL,
    sequence   int4        NOT NULL,
    queued_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (request_id, sequence)
);

CREATE OR REPLACE FUNCTION notification_events_queue() RETURNS trigger
LANGUAGE plpgsql
AS $$
BEGIN
    INSERT INTO notification_events (request_id, sequence) VALUES (NEW.request_id, NEW.sequence) ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$;

DROP TRIGGER IF EXISTS request_events_notify ON request_events;
CREATE TRIGGER request_events_notify AFTER INSERT ON request_events FOR EACH ROW EXECUTE FUNCTION notification_events_queue();

CREATE TABLE IF NOT EXISTS webhook_deliveries
(
    subscription_id uuid        NOT NULL REFERENCES webhook_subscriptions (id),
    request_id      uuid        NOT NULL,
    sequence        int4        NOT NULL,
    type            text        NOT NULL,             -- request.acted, request.warning, request.breach, request.escalation
    payload         jsonb       NOT NULL,             -- ids, codes, times and the clock's change: no personal data
    created_at      timestamptz NOT NULL DEFAULT now(),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    attempts        int4        NOT NULL DEFAULT 0,
    last_status     int4        NULL,                 -- the receiver's HTTP status of the last attempt
    last_error      text        NULL,
    delivered_at    timestamptz NULL,
    PRIMARY KEY (subscription_id, request_id, sequence)
);

CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE delivered_at IS NULL;
CREATE INDEX IF NOT EXISTS webhook_deliveries_recent ON webhook_deliveries (subscription_id, created_at DESC);
