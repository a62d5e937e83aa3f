-- Closures a state declares at run time, the log of every change to them, and the recalculations that
-- reference-data changes owe the open clocks (a durable queue worked by one silo at a time).

-- The closures in force: one row per state and day.
CREATE TABLE IF NOT EXISTS calendar_closures
(
    state                 text        NOT NULL CHECK (state ~ '^[A-Z]{2}$'),
    day                   date        NOT NULL,
    reason                text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
    declared_by           text        NOT NULL,
    declared_by_authority text        NOT NULL,
    declared_at           timestamptz NOT NULL,
    PRIMARY KEY (state, day)
);

-- Every change, kept for good: who, when, why. Its sequence numbers the closure data the silos hold.
CREATE TABLE IF NOT EXISTS calendar_closure_changes
(
    sequence             bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    state                text        NOT NULL,
    day                  date        NOT NULL,
    change               text        NOT NULL CHECK (change IN ('declared', 'reason-changed', 'removed')),
    reason               text        NULL,
    changed_by           text        NOT NULL,
    changed_by_authority text        NOT NULL,
    changed_at           timestamptz NOT NULL
);

CREATE INDEX IF NOT EXISTS calendar_closure_changes_state ON calendar_closure_changes (state, day);

-- A change of reference data whose open clocks are to be recalculated: a state's calendar, an authority's zone or
-- weekly rest days, or a legal basis's rules. Only clocks due on or after from_day can move (null: any).
CREATE TABLE IF NOT EXISTS reference_changes
(
    id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    scope             text        NOT NULL CHECK (scope IN ('calendar', 'authority', 'policy')),
    key               text        NOT NULL,
    from_day          date        NULL,
    closures_at_least bigint      NOT NULL DEFAULT 0,
    reason            text        NOT NULL,
    created_at        timestamptz NOT NULL DEFAULT now(),
    done_at           timestamptz NULL,
    examined          int4        NULL,
    moved             int4        NULL
);

CREATE INDEX IF NOT EXISTS reference_changes_pending ON reference_changes (id) WHERE done_at IS NULL;

-- The digest of each part of the reference data files last worked through, so that a deployment that changes
-- one part queues the recalculation of the clocks it can move.
CREATE TABLE IF NOT EXISTS reference_fingerprints
(
    key        text        PRIMARY KEY,
    digest     text        NOT NULL,
    changed_at timestamptz NOT NULL
);

-- Open clocks by responsible authority and due time, for the recalculation's candidates.
CREATE INDEX IF NOT EXISTS request_clocks_responsible_open ON request_clocks (responsible_authority, due_at)
    WHERE state IN ('running', 'breached');
