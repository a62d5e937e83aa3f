-- 0003: Orleans grain state storage (ADO.NET grain persistence).
--
-- A grain state row is identified by its natural key: service id, state name
-- (GrainTypeString), the two 64-bit halves of the grain key and the optional
-- string key/extension. A UNIQUE ... NULLS NOT DISTINCT constraint on exactly
-- that key means two activations racing to write the first state cannot
-- create two rows (a NULL extension counts as one value). Its index also
-- serves every lookup.
-- The provider also sends GrainIdHash and GrainTypeHash. They are hashes, not
-- identities, so they are neither stored nor used for matching.
--
-- Version is the etag: 1 after the first write, +1 on every write, clear or
-- delete. A conflict is reported as a NULL version, which the provider turns
-- into an InconsistentStateException.

CREATE TABLE IF NOT EXISTS orleans_storage
(
    serviceid              text        NOT NULL,
    graintypestring        text        NOT NULL,
    grainidn0              bigint      NOT NULL,
    grainidn1              bigint      NOT NULL,
    grainidextensionstring text        NULL,
    payloadbinary          bytea       NULL,  -- NULL after a clear
    version                int4        NOT NULL,
    modifiedon             timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT orleans_storage_grain_key UNIQUE NULLS NOT DISTINCT
        (serviceid, graintypestring, grainidn0, grainidn1, grainidextensionstring)
);

-- Write a state. p_expected_version NULL means the grain has never seen a
-- stored row: insert only if none exists and return 1. Otherwise update only
-- when the stored version matches and return the new version.
-- Returns NULL on a version conflict.
CREATE OR REPLACE FUNCTION orleans_storage_write(
    p_serviceid              text,
    p_graintypestring        text,
    p_grainidn0              bigint,
    p_grainidn1              bigint,
    p_grainidextensionstring text,
    p_expected_version       int4,
    p_payloadbinary          bytea)
RETURNS int4
LANGUAGE plpgsql
AS $$
DECLARE
    v_new_version int4;
BEGIN
    IF p_expected_version IS NULL THEN
        INSERT INTO orleans_storage
            (serviceid, graintypestring, grainidn0, grainidn1,
             grainidextensionstring, payloadbinary, version, modifiedon)
        VALUES
            (p_serviceid, p_graintypestring, p_grainidn0, p_grainidn1,
             p_grainidextensionstring, p_payloadbinary, 1, now())
        ON CONFLICT (serviceid, graintypestring, grainidn0, grainidn1,
                     grainidextensionstring) DO NOTHING
        RETURNING version INTO v_new_version;
    ELSE
        UPDATE orleans_storage
           SET payloadbinary = p_payloadbinary,
               version       = version + 1,
               modifiedon    = now()
         WHERE serviceid = p_serviceid
           AND graintypestring = p_graintypestring
           AND grainidn0 = p_grainidn0
           AND grainidn1 = p_grainidn1
           AND grainidextensionstring IS NOT DISTINCT FROM p_grainidextensionstring
           AND version = p_expected_version
        RETURNING version INTO v_new_version;
    END IF;
    RETURN v_new_version;
END;
$$;

-- Clear a state but keep the row: payload becomes NULL, version goes up.
-- Returns the new version, or NULL on a version conflict.
CREATE OR REPLACE FUNCTION orleans_storage_clear(
    p_serviceid              text,
    p_graintypestring        text,
    p_grainidn0              bigint,
    p_grainidn1              bigint,
    p_grainidextensionstring text,
    p_expected_version       int4)
RETURNS int4
LANGUAGE plpgsql
AS $$
DECLARE
    v_new_version int4;
BEGIN
    UPDATE orleans_storage
       SET payloadbinary = NULL,
           version       = version + 1,
           modifiedon    = now()
     WHERE serviceid = p_serviceid
       AND graintypestring = p_graintypestring
       AND grainidn0 = p_grainidn0
       AND grainidn1 = p_grainidn1
       AND grainidextensionstring IS NOT DISTINCT FROM p_grainidextensionstring
       AND version = p_expected_version
    RETURNING version INTO v_new_version;
    RETURN v_new_version;
END;
$$;

-- Delete a state row (used when DeleteStateOnClear is on). Returns the
-- deleted version + 1 (a value that differs from the etag the caller sent), or NULL
-- on a version conflict.
CREATE OR REPLACE FUNCTION orleans_storage_delete(
    p_serviceid              text,
    p_graintypestring        text,
    p_grainidn0              bigint,
    p_grainidn1              bigint,
    p_grainidextensionstring text,
    p_expected_version       int4)
RETURNS int4
LANGUAGE plpgsql
AS $$
DECLARE
    v_result int4;
BEGIN
    DELETE FROM orleans_storage
     WHERE serviceid = p_serviceid
       AND graintypestring = p_graintypestring
       AND grainidn0 = p_grainidn0
       AND grainidn1 = p_grainidn1
       AND grainidextensionstring IS NOT DISTINCT FROM p_grainidextensionstring
       AND version = p_expected_version
    RETURNING version + 1 INTO v_result;
    RETURN v_result;
END;
$$;

-- Query texts ---------------------------------------------------------------
-- Each of the first three keys must exist exactly once (the provider uses
-- Single()); the primary key of orleansquery guarantees that.

INSERT INTO orleansquery (querykey, querytext) VALUES
(
    -- Zero or one row (the unique key rules out more).
    'ReadFromStorageKey',
    'SELECT payloadbinary, version
       FROM orleans_storage
      WHERE serviceid = @ServiceId
        AND graintypestring = @GrainTypeString
        AND grainidn0 = @GrainIdN0
        AND grainidn1 = @GrainIdN1
        AND grainidextensionstring IS NOT DISTINCT FROM @GrainIdExtensionString;'
),
(
    -- Always exactly one row; column read by name.
    'WriteToStorageKey',
    'SELECT orleans_storage_write(@ServiceId, @GrainTypeString, @GrainIdN0,
            @GrainIdN1, @GrainIdExtensionString, @GrainStateVersion,
            @PayloadBinary) AS newgrainstateversion;'
),
(
    -- Always exactly one row; the provider reads column 0.
    'ClearStorageKey',
    'SELECT orleans_storage_clear(@ServiceId, @GrainTypeString, @GrainIdN0,
            @GrainIdN1, @GrainIdExtensionString, @GrainStateVersion)
            AS newgrainstateversion;'
),
(
    -- Always exactly one row; the provider reads column 0.
    'DeleteStorageKey',
    'SELECT orleans_storage_delete(@ServiceId, @GrainTypeString, @GrainIdN0,
            @GrainIdN1, @GrainIdExtensionString, @GrainStateVersion)
            AS newgrainstateversion;'
)
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
