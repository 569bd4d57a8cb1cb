-- The verdicts of the transparency report (TR-03108 16-M), per partner domain one row per
-- version: the state of each criterion (met, not-met, unknown, not-checked). The current version
-- has no replaced_at; a report with another verdict closes it at its own time and opens a new one,
-- so the next report shows a partner that lost DANE as a change, and every report "since when".
-- Times are seconds since the epoch (UTC), as in V1.

CREATE TABLE partner_verdict (
    partner TEXT NOT NULL,
    meets TEXT NOT NULL,
    dane TEXT NOT NULL,
    tls TEXT NOT NULL,
    mta_sts TEXT NOT NULL,
    dnssec TEXT NOT NULL,
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    replaced_at BIGINT,
    PRIMARY KEY (partner, first_seen)
);

-- at most one current verdict per partner, also when two reports race
CREATE UNIQUE INDEX partner_verdict_current ON partner_verdict (partner) WHERE replaced_at IS NULL;
