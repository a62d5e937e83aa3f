-- 0004: Orleans reminders (ADO.NET reminder table).
--
-- One row per (service, grain, reminder name). GrainHash is the uniform hash
-- of the grain as the provider sends it: a uint cast to a signed int4. Range
-- reads compare int4 with int4, so the signed ordering used by the provider
-- holds across the wrap-around point. Period is in milliseconds (bigint; the
-- provider sends int4 or int8). Version is the etag: 0 when a reminder is
-- created, +1 on every later upsert.

CREATE TABLE IF NOT EXISTS orleans_reminders
(
    serviceid    text        NOT NULL,
    grainid      text        NOT NULL,  -- GrainId.ToString(), "type/key"
    remindername text        NOT NULL,
    starttime    timestamptz NOT NULL,
    period       bigint      NOT NULL,
    grainhash    int4        NOT NULL,
    version      int4        NOT NULL DEFAULT 0,
    PRIMARY KEY (serviceid, grainid, remindername)
);

-- Serves the ring-range reads of each silo.
CREATE INDEX IF NOT EXISTS orleans_reminders_service_hash_idx
    ON orleans_reminders (serviceid, grainhash);

-- Create or overwrite a reminder (no etag check) and return its new version.
CREATE OR REPLACE FUNCTION orleans_reminder_upsert(
    p_serviceid    text,
    p_grainid      text,
    p_remindername text,
    p_starttime    timestamptz,
    p_period       bigint,
    p_grainhash    int4)
RETURNS int4
LANGUAGE plpgsql
AS $$
DECLARE
    v_version int4;
BEGIN
    INSERT INTO orleans_reminders AS r
        (serviceid, grainid, remindername, starttime, period, grainhash, version)
    VALUES
        (p_serviceid, p_grainid, p_remindername, p_starttime, p_period, p_grainhash, 0)
    ON CONFLICT (serviceid, grainid, remindername) DO UPDATE
       SET starttime = EXCLUDED.starttime,
           period    = EXCLUDED.period,
           grainhash = EXCLUDED.grainhash,
           version   = r.version + 1
    RETURNING r.version INTO v_version;
    RETURN v_version;
END;
$$;

-- Delete a reminder only if the etag of the caller is current. True if deleted.
CREATE OR REPLACE FUNCTION orleans_reminder_delete(
    p_serviceid    text,
    p_grainid      text,
    p_remindername text,
    p_version      int4)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    DELETE FROM orleans_reminders
     WHERE serviceid = p_serviceid
       AND grainid = p_grainid
       AND remindername = p_remindername
       AND version = p_version;
    RETURN FOUND;
END;
$$;

-- Query texts ---------------------------------------------------------------

INSERT INTO orleansquery (querykey, querytext) VALUES
(
    'ReadReminderRowsKey',
    'SELECT grainid, remindername, starttime, period, version
       FROM orleans_reminders
      WHERE serviceid = @ServiceId
        AND grainid = @GrainId;'
),
(
    -- Ordinary range (begin < end as signed int4): (begin, end].
    'ReadRangeRows1Key',
    'SELECT grainid, remindername, starttime, period, version
       FROM orleans_reminders
      WHERE serviceid = @ServiceId
        AND grainhash > @BeginHash
        AND grainhash <= @EndHash;'
),
(
    -- Wrapping range (begin >= end): everything above begin or up to end.
    -- With begin = end this covers the whole ring.
    'ReadRangeRows2Key',
    'SELECT grainid, remindername, starttime, period, version
       FROM orleans_reminders
      WHERE serviceid = @ServiceId
        AND (grainhash > @BeginHash OR grainhash <= @EndHash);'
),
(
    'ReadReminderRowKey',
    'SELECT grainid, remindername, starttime, period, version
       FROM orleans_reminders
      WHERE serviceid = @ServiceId
        AND grainid = @GrainId
        AND remindername = @ReminderName;'
),
(
    'UpsertReminderRowKey',
    'SELECT orleans_reminder_upsert(@ServiceId, @GrainId, @ReminderName,
            @StartTime, @Period, @GrainHash) AS version;'
),
(
    'DeleteReminderRowKey',
    'SELECT orleans_reminder_delete(@ServiceId, @GrainId, @ReminderName,
            @Version) AS deleted;'
),
(
    -- Removes every reminder of the service (used by tests).
    'DeleteReminderRowsKey',
    'DELETE FROM orleans_reminders
      WHERE serviceid = @ServiceId;'
)
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
