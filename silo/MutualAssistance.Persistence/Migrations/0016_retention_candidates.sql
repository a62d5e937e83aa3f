-- 0015: the retention sweep reads ended requests by the time they last changed (Queries/RetentionCandidates.cs).

CREATE INDEX IF NOT EXISTS request_summaries_changed ON request_summaries (changed_at, request_id);
