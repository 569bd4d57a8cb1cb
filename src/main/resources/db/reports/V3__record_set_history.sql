-- The history of the record sets mxpolicy published (publish --apply) or saw served (check): per
-- kind (tlsa, sts-id, sts-policy) and subject (the MX host or the mail domain), one row per
-- version. The current version has no replaced_at; a different value closes it at the time the
-- new one was first seen. Report failures are explained against it (docs/reports.md).
-- Times are seconds since the epoch (UTC), as in V1.

CREATE TABLE record_set_version (
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    value TEXT NOT NULL,
    digest TEXT NOT NULL,
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    replaced_at BIGINT,
    source TEXT NOT NULL,
    PRIMARY KEY (kind, subject, first_seen, digest)
);

-- the summary asks for every version of the subjects it explains, in time order
CREATE INDEX record_set_version_subject ON record_set_version (subject, kind, first_seen);

-- at most one current version per record set, also when two writers race
CREATE UNIQUE INDEX record_set_version_current ON record_set_version (kind, subject) WHERE replaced_at IS NULL;

-- The explanations ask where failures were (receiving_mx_hostname) per group and organisation, so
-- the summary's failure query groups by it too. The summary index of V2 with that column added
-- before the time still answers it from the index alone, in its order (1,000,000 rows on SQLite:
-- 0.2 s, as before; 1.3 s from the table); one index, so the ingest writes no more.
DROP INDEX failure_detail_summary;
CREATE INDEX failure_detail_summary
    ON failure_detail (policy_domain, policy_type, mx_host, result_type, organization_name, receiving_mx_hostname,
                       end_time, failed_session_count);
