-- 0002: Orleans cluster membership (used by silos and by clients).
--
-- One row in orleans_membership_version per cluster (DeploymentId = ClusterId)
-- holds the table version (the optimistic-concurrency etag of the whole
-- membership table). It starts at 0 and is only ever increased by one, by a
-- successful insert or update of a member. The heartbeat and the cleanup of
-- dead silos leave it alone.
-- Writers serialise on the version row (row lock), check the version and only
-- then change anything, so a "false" answer never leaves a partial change
-- behind. No ASSERT is used, so the outcome does not depend on
-- plpgsql.check_asserts.
--
-- Parameters are referenced as @Name, the names the provider sends.
-- Times are timestamptz throughout (Npgsql sends UTC DateTime as timestamptz).
-- SiloStatus values: 3 = Active, 6 = Dead.

CREATE TABLE IF NOT EXISTS orleans_membership_version
(
    deploymentid text        NOT NULL PRIMARY KEY,
    version      int4        NOT NULL DEFAULT 0 CHECK (version >= 0),
    modifiedon   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS orleans_membership
(
    deploymentid text        NOT NULL
        REFERENCES orleans_membership_version (deploymentid) ON DELETE CASCADE,
    address      text        NOT NULL,  -- IPAddress.ToString(), IPv4 or IPv6
    port         int4        NOT NULL,
    generation   int4        NOT NULL,
    siloname     text        NOT NULL,
    hostname     text        NOT NULL,
    status       int4        NOT NULL,
    proxyport    int4        NOT NULL DEFAULT 0,  -- 0 = not a gateway
    suspecttimes text        NULL,               -- opaque, written by Orleans
    starttime    timestamptz NOT NULL,
    iamalivetime timestamptz NOT NULL,
    PRIMARY KEY (deploymentid, address, port, generation)
);

-- Insert a new member. Succeeds only when the stored cluster version equals
-- p_version and the silo is not registered yet; then bumps the version.
-- Returns false, with nothing changed, otherwise.
CREATE OR REPLACE FUNCTION orleans_membership_insert(
    p_deploymentid text,
    p_address      text,
    p_port         int4,
    p_generation   int4,
    p_siloname     text,
    p_hostname     text,
    p_status       int4,
    p_proxyport    int4,
    p_starttime    timestamptz,
    p_iamalivetime timestamptz,
    p_version      int4)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    -- Take the cluster-wide write lock, but only if the caller has the current version.
    PERFORM 1
      FROM orleans_membership_version
     WHERE deploymentid = p_deploymentid
       AND version = p_version
       FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    INSERT INTO orleans_membership
        (deploymentid, address, port, generation, siloname, hostname,
         status, proxyport, suspecttimes, starttime, iamalivetime)
    VALUES
        (p_deploymentid, p_address, p_port, p_generation, p_siloname, p_hostname,
         p_status, p_proxyport, NULL, p_starttime, p_iamalivetime)
    ON CONFLICT (deploymentid, address, port, generation) DO NOTHING;
    IF NOT FOUND THEN
        RETURN false;  -- already registered; the version has not been touched
    END IF;

    UPDATE orleans_membership_version
       SET version = version + 1,
           modifiedon = now()
     WHERE deploymentid = p_deploymentid;
    RETURN true;
END;
$$;

-- Update status, suspicions and heartbeat of an existing member. Succeeds only
-- when the stored version equals p_version and the member exists; then bumps
-- the version. Returns false, with nothing changed, otherwise.
CREATE OR REPLACE FUNCTION orleans_membership_update(
    p_deploymentid text,
    p_address      text,
    p_port         int4,
    p_generation   int4,
    p_status       int4,
    p_suspecttimes text,
    p_iamalivetime timestamptz,
    p_version      int4)
RETURNS boolean
LANGUAGE plpgsql
AS $$
BEGIN
    PERFORM 1
      FROM orleans_membership_version
     WHERE deploymentid = p_deploymentid
       AND version = p_version
       FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    UPDATE orleans_membership
       SET status       = p_status,
           suspecttimes = p_suspecttimes,
           iamalivetime = p_iamalivetime
     WHERE deploymentid = p_deploymentid
       AND address      = p_address
       AND port         = p_port
       AND generation   = p_generation;
    IF NOT FOUND THEN
        RETURN false;  -- unknown member; the version has not been touched
    END IF;

    UPDATE orleans_membership_version
       SET version = version + 1,
           modifiedon = now()
     WHERE deploymentid = p_deploymentid;
    RETURN true;
END;
$$;

-- Query texts ---------------------------------------------------------------

INSERT INTO orleansquery (querykey, querytext) VALUES
(
    -- Create the version row once per cluster. One boolean: true if created.
    'InsertMembershipVersionKey',
    'WITH created AS (
        INSERT INTO orleans_membership_version (deploymentid)
        VALUES (@DeploymentId)
        ON CONFLICT (deploymentid) DO NOTHING
        RETURNING 1)
     SELECT EXISTS (SELECT 1 FROM created) AS created;'
),
(
    -- All members plus the table version. The version row is the left side, so
    -- a cluster without members still yields one row (member columns NULL).
    'MembershipReadAllKey',
    'SELECT m.address, m.port, m.generation, m.siloname, m.hostname, m.status,
            m.proxyport, m.suspecttimes, m.starttime, m.iamalivetime, v.version
       FROM orleans_membership_version AS v
       LEFT JOIN orleans_membership AS m
              ON m.deploymentid = v.deploymentid
      WHERE v.deploymentid = @DeploymentId;'
),
(
    -- One member plus the table version (same shape as MembershipReadAllKey).
    'MembershipReadRowKey',
    'SELECT m.address, m.port, m.generation, m.siloname, m.hostname, m.status,
            m.proxyport, m.suspecttimes, m.starttime, m.iamalivetime, v.version
       FROM orleans_membership_version AS v
       LEFT JOIN orleans_membership AS m
              ON m.deploymentid = v.deploymentid
             AND m.address = @Address
             AND m.port = @Port
             AND m.generation = @Generation
      WHERE v.deploymentid = @DeploymentId;'
),
(
    'InsertMembershipKey',
    'SELECT orleans_membership_insert(@DeploymentId, @Address, @Port, @Generation,
            @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime,
            @Version) AS inserted;'
),
(
    'UpdateMembershipKey',
    'SELECT orleans_membership_update(@DeploymentId, @Address, @Port, @Generation,
            @Status, @SuspectTimes, @IAmAliveTime, @Version) AS updated;'
),
(
    -- Heartbeat: never changes the table version.
    'UpdateIAmAlivetimeKey',
    'UPDATE orleans_membership
        SET iamalivetime = @IAmAliveTime
      WHERE deploymentid = @DeploymentId
        AND address = @Address
        AND port = @Port
        AND generation = @Generation;'
),
(
    -- Gateways for clients: members in the requested status with a proxy port.
    'GatewaysQueryKey',
    'SELECT address, proxyport, generation
       FROM orleans_membership
      WHERE deploymentid = @DeploymentId
        AND status = @Status
        AND proxyport > 0;'
),
(
    -- Remove the whole cluster: its members and its version row.
    'DeleteMembershipTableEntriesKey',
    'WITH members AS (
        DELETE FROM orleans_membership
         WHERE deploymentid = @DeploymentId)
     DELETE FROM orleans_membership_version
      WHERE deploymentid = @DeploymentId;'
),
(
    -- Bulk cleanup: dead members whose last heartbeat is older than the cut-off.
    'CleanupDefunctSiloEntriesKey',
    'DELETE FROM orleans_membership
      WHERE deploymentid = @DeploymentId
        AND status = 6
        AND iamalivetime < @IAmAliveTime;'
),
(
    -- Per-member cleanup (preferred by the provider when present): delete the
    -- member only if it is still dead and unchanged since the provider read it.
    -- An empty suspect list may be stored as an empty string but is sent back
    -- as NULL, so both count as "no suspicions".
    'CleanupDefunctSiloEntryKey',
    'DELETE FROM orleans_membership
      WHERE deploymentid = @DeploymentId
        AND address = @Address
        AND port = @Port
        AND generation = @Generation
        AND status = 6
        AND starttime IS NOT DISTINCT FROM @StartTime
        AND iamalivetime IS NOT DISTINCT FROM @IAmAliveTime
        AND COALESCE(suspecttimes, '''') = COALESCE(@SuspectTimes, '''');'
)
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
