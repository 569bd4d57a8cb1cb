-- TLS reports (RFC 8460 section 4.4): one schema for SQLite and PostgreSQL, so only types and
-- statements both know are used. Times are seconds since the epoch (UTC). The domain, MX hosts
-- and end of the period are copied into the child tables so that the summary and the retention
-- run on one table each, through the indexes below.

CREATE TABLE report (
    organization_name TEXT NOT NULL,
    report_id TEXT NOT NULL,
    contact_info TEXT,
    start_time BIGINT NOT NULL,
    end_time BIGINT NOT NULL,
    received_at BIGINT NOT NULL,
    source TEXT NOT NULL,
    parse_notes TEXT NOT NULL,
    PRIMARY KEY (organization_name, report_id)
);

CREATE INDEX report_end_time ON report (end_time);

CREATE TABLE report_policy (
    organization_name TEXT NOT NULL,
    report_id TEXT NOT NULL,
    policy_index INTEGER NOT NULL,
    policy_type TEXT NOT NULL,
    policy_domain TEXT NOT NULL,
    policy_string TEXT NOT NULL,
    mx_host TEXT NOT NULL,
    successful_sessions BIGINT NOT NULL,
    failed_sessions BIGINT NOT NULL,
    start_time BIGINT NOT NULL,
    end_time BIGINT NOT NULL,
    PRIMARY KEY (organization_name, report_id, policy_index),
    FOREIGN KEY (organization_name, report_id) REFERENCES report (organization_name, report_id) ON DELETE CASCADE
);

CREATE INDEX report_policy_end_time ON report_policy (end_time, policy_domain);
CREATE INDEX report_policy_domain ON report_policy (policy_domain, end_time);

CREATE TABLE failure_detail (
    organization_name TEXT NOT NULL,
    report_id TEXT NOT NULL,
    policy_index INTEGER NOT NULL,
    detail_index INTEGER NOT NULL,
    policy_type TEXT NOT NULL,
    policy_domain TEXT NOT NULL,
    mx_host TEXT NOT NULL,
    end_time BIGINT NOT NULL,
    result_type TEXT NOT NULL,
    sending_mta_ip TEXT,
    receiving_mx_hostname TEXT,
    receiving_mx_helo TEXT,
    receiving_ip TEXT,
    failed_session_count BIGINT NOT NULL,
    additional_information TEXT,
    failure_reason_code TEXT,
    PRIMARY KEY (organization_name, report_id, policy_index, detail_index),
    FOREIGN KEY (organization_name, report_id, policy_index)
        REFERENCES report_policy (organization_name, report_id, policy_index) ON DELETE CASCADE
);

CREATE INDEX failure_detail_end_time ON failure_detail (end_time, policy_domain);
CREATE INDEX failure_detail_domain ON failure_detail (policy_domain, end_time);
