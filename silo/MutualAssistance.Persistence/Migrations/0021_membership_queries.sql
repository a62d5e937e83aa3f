-- 0021: one rule for removing defunct silos, the one the pinned provider applies; a heartbeat never goes back.
--
-- Which query runs. Microsoft.Orleans.Clustering.AdoNet 10.4.2 (RelationalOrleansQueries.CleanupDefunctSiloEntriesAsync)
-- runs the bulk CleanupDefunctSiloEntriesKey ONLY when CleanupDefunctSiloEntryKey is missing. We have that key
-- (0002), so the provider reads all rows and picks those that are Dead (6) with StartTime, IAmAliveTime and every
-- suspect vote before the cut-off. It then sends each picked row's key and captured StartTime, IAmAliveTime and
-- SuspectTimes to the per-row query. That query deletes the row only if it is still Dead and unchanged, and it
-- stays as 0002 wrote it. The bulk key must still exist (the provider refuses to start without it), but it runs
-- only if the per-row key is taken away.
--
-- Which rule is right. 0008 made the bulk query delete stale rows of every status but Active. The pinned
-- provider never does that: it deletes Dead rows only. The runtime agrees. Its cleanup agent
-- (MembershipTableCleanupAgent) counts and dates Dead entries only. Its health monitor takes a crashed silo of
-- any other status to Dead. Joining, Active, ShuttingDown and Stopping silos are probed and voted dead by their
-- peers. A Created or Joining silo past MaxJoinAttemptTime is suspected. A restarted silo declares its own older
-- generations dead. So a stale Joining or ShuttingDown row does not stay forever. It becomes Dead by the
-- protocol's vote and is removed once that vote is older than the cut-off.
-- Deleting a row the protocol has not declared dead would skip that vote. It would also date the row by its
-- heartbeat alone, while the runtime dates a dead row by its latest start, heartbeat or vote
-- (MembershipEntry.EffectiveUpdateTime): declaring a silo dead records a vote, and the row must stay visible for
-- the whole expiration after that.
-- So both queries now apply one rule: Dead only, and start time, heartbeat and every suspect vote strictly before
-- the cut-off (@IAmAliveTime, which is now - DefunctSiloExpiration).
--
-- Upstream's newer PostgreSQL script also keeps its bulk query to Dead rows with the start time before the
-- cut-off. But it also demands no suspect votes at all. A silo voted dead always has votes, so that bulk query
-- would never remove it. Ours reads the vote times instead and matches the provider. A vote whose time cannot be
-- read counts as recent, so such a row is kept, never deleted by guesswork.
--
-- Heartbeat. UpdateIAmAlivetimeKey set iamalivetime to whatever it was sent. A heartbeat that commits after a
-- newer one (a retried or slow write), or one written after the host clock stepped back, moved the silo's last
-- sign of life backwards. Peers could then see it as missing its heartbeats, and the cleanup could date it too
-- old. GREATEST keeps the newest time, as upstream's newer script does. The table version is still untouched.

-- The suspect votes are stored by the provider as 'address,yyyy-MM-dd HH:mm:ss.fff GMT' joined by '|' (Orleans
-- LogFormatter.PrintDate, UTC). True when there is no vote, or when every vote's time is before p_cutoff. A vote
-- whose time does not have that shape gives false, so a row is never removed on a misread vote.
CREATE OR REPLACE FUNCTION orleans_membership_votes_before(p_suspecttimes text, p_cutoff timestamptz)
RETURNS boolean
LANGUAGE sql
STABLE
AS $$
    SELECT COALESCE(bool_and(COALESCE(voted_at < p_cutoff, false)), true)
      FROM (SELECT substring(vote FROM ',(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,7})?) GMT$')::timestamp
                       AT TIME ZONE 'UTC' AS voted_at
              FROM unnest(string_to_array(NULLIF(btrim(p_suspecttimes), ''), '|')) AS vote) AS votes;
$$;

INSERT INTO orleansquery (querykey, querytext) VALUES
(
    -- Bulk cleanup, the provider's fallback: the rule the provider applies before its per-row query (see above).
    'CleanupDefunctSiloEntriesKey',
    'DELETE FROM orleans_membership
      WHERE deploymentid = @DeploymentId
        AND status = 6
        AND starttime < @IAmAliveTime
        AND iamalivetime < @IAmAliveTime
        AND orleans_membership_votes_before(suspecttimes, @IAmAliveTime);'
),
(
    -- Heartbeat: never moves the last sign of life backwards, never changes the table version.
    'UpdateIAmAlivetimeKey',
    'UPDATE orleans_membership
        SET iamalivetime = GREATEST(iamalivetime, @IAmAliveTime)
      WHERE deploymentid = @DeploymentId
        AND address = @Address
        AND port = @Port
        AND generation = @Generation;'
)
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;
