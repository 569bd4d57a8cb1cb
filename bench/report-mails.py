#!/usr/bin/env python3
"""Writes COUNT gzipped TLS report mails (RFC 8460, shaped like a large sender's: multipart/report
with an application/tlsrpt+gzip attachment) into MAILDIR/new, spread over DOMAINS domains and the
30 days before END (ISO date), each with DETAILS failure-details entries. Used by bench/reports.sh."""
import base64, datetime, gzip, json, os, sys

maildir, count, domains, details, end = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
end_day = datetime.date.fromisoformat(end)
os.makedirs(os.path.join(maildir, "new"), exist_ok=True)
os.makedirs(os.path.join(maildir, "cur"), exist_ok=True)
os.makedirs(os.path.join(maildir, "tmp"), exist_ok=True)
results = ["certificate-expired", "validation-failure", "starttls-not-supported", "sts-webpki-invalid"]
for i in range(count):
    domain = f"customer{i % domains}.example"
    day = end_day - datetime.timedelta(days=1 + i % 30)
    start = f"{day.isoformat()}T00:00:00Z"
    stop = f"{day.isoformat()}T23:59:59Z"
    org = f"sender{i % 7}.example"
    report = {
        "organization-name": org,
        "date-range": {"start-datetime": start, "end-datetime": stop},
        "contact-info": f"tlsrpt@{org}",
        "report-id": f"{day.isoformat()}-{i}@{org}",
        "policies": [{
            "policy": {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: enforce",
                       "mx: mx1.example.com", "max_age: 604800"], "policy-domain": domain,
                       "mx-host": ["mx1.example.com"]},
            "summary": {"total-successful-session-count": 1000 + i % 100,
                        "total-failure-session-count": details},
            "failure-details": [{
                "result-type": results[d % len(results)],
                "sending-mta-ip": f"192.0.2.{d % 250 + 1}",
                "receiving-mx-hostname": "mx1.example.com",
                "receiving-ip": "198.51.100.25",
                "failed-session-count": 1,
            } for d in range(details)],
        }],
    }
    payload = base64.encodebytes(gzip.compress(json.dumps(report).encode(), mtime=0)).decode()
    name = f"{org}!{domain}!{int(datetime.datetime.fromisoformat(start.replace('Z', '+00:00')).timestamp())}!{i}.json.gz"
    boundary = f"b{i}"
    mail = (f"From: tlsrpt@{org}\r\nTo: tlsrpt@example.com\r\nSubject: Report Domain: {domain} Submitter: {org}"
            f" Report-ID: <{report['report-id']}>\r\nDate: Mon, 07 Dec 2026 02:00:00 +0000\r\n"
            f"Message-ID: <{i}.bench@{org}>\r\nTLS-Report-Domain: {domain}\r\nTLS-Report-Submitter: {org}\r\n"
            f"MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=tlsrpt; boundary=\"{boundary}\"\r\n\r\n"
            f"--{boundary}\r\nContent-Type: text/plain\r\n\r\nThis is an aggregate TLS report.\r\n"
            f"--{boundary}\r\nContent-Type: application/tlsrpt+gzip; name=\"{name}\"\r\n"
            f"Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"{name}\"\r\n\r\n"
            f"{payload}\r\n--{boundary}--\r\n")
    with open(os.path.join(maildir, "new", f"{i}.bench.mail"), "w", newline="") as f:
        f.write(mail)
