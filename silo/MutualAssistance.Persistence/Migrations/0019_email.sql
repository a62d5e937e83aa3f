-- 0018: notifications by e-mail (README, "Notifications"). Each event queued in notification_events that a
-- configured address must know of becomes one item here, in the same transaction as its webhook deliveries (keyed by
-- address and event: once per event and address, whatever restarts), with the time it may go: the recipient's next
-- office hours on its own calendar, or at once. The mail sender sends an address's items due as one digest, at most
-- one per digest interval per address (level 3 at once), and marks them sent in the transaction that records the
-- digest.

CREATE TABLE IF NOT EXISTS email_items
(
    address    text        NOT NULL,
    request_id uuid        NOT NULL,
    sequence   int4        NOT NULL,
    authority  text        NOT NULL,  -- the recipient's authority
    language   text        NOT NULL,  -- en, ru or zh
    type       text        NOT NULL,  -- request.breach, request.escalation
    level      int4        NOT NULL,  -- 0 for a breach, else the escalation level
    payload    jsonb       NOT NULL,  -- ids, codes, times and the clock's change: no personal data
    send_at    timestamptz NOT NULL,
    immediate  boolean     NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at    timestamptz NULL,
    PRIMARY KEY (address, request_id, sequence)
);

CREATE INDEX IF NOT EXISTS email_items_due ON email_items (send_at) WHERE sent_at IS NULL;

CREATE TABLE IF NOT EXISTS email_digests
(
    address      text        PRIMARY KEY,
    last_sent_at timestamptz NOT NULL
);
