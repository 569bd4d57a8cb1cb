#!/usr/bin/env python3
"""Writes the JSON of `mxpolicy check --format json` for N hosted domains, as a hosting provider's
check run would look: each domain on the two shared MX hosts with MTA-STS (enforce) and TLS-RPT,
each MX host's TLSA records matched and two addresses DANE-verified, one signature expiry per
domain. Every 50th domain serves a policy that differs (CRITICAL), every 7th has no TLS-RPT record
(WARNING), every 200th has an unreachable policy host (UNKNOWN). See bench/README.md.

    bench/status-check-json.py 20000 > check.json
"""
import json
import sys
from datetime import datetime, timedelta, timezone

n = int(sys.argv[1])
start = datetime.now(timezone.utc).replace(microsecond=0) - timedelta(minutes=5)
results, expiries, domains = [], [], []
hosts = ["mx1.example.com", "mx2.example.com"]


def result(status, rid, subject, message):
    results.append({"status": status, "id": rid, "subject": subject, "message": message})


for i in range(1, n + 1):
    d = f"customer{i}.example"
    if i % 200 == 0:
        result("UNKNOWN", "mta-sts.address-lookup", d,
               f"cannot look up mta-sts.{d}. A: timed out; the policy was not fetched")
    elif i % 50 == 0:
        result("CRITICAL", "mta-sts.policy-differs", d,
               f"the policy served at https://mta-sts.{d}/.well-known/mta-sts.txt differs from the config's"
               " (mode enforce, 2 mx patterns, max_age 604800); serve the config's policy")
    else:
        result("OK", "mta-sts.ok", d, "policy id 20261201T000000 published and served (mode enforce)")
    if i % 7 == 0:
        result("WARNING", "tlsrpt.missing", d,
               f"no v=TLSRPTv1 record at _smtp._tls.{d}.; nobody reports TLS failures to you (TR-03108-10-M)")
    else:
        result("OK", "tlsrpt.ok", d, f"TLS-RPT: v=TLSRPTv1; rua=mailto:tlsrpt@{d}")
    expiries.append({"kind": "signature", "subject": f"_mta-sts.{d}. TXT", "source": "validated lookup",
                     "not_after": (start + timedelta(days=10 + i % 20)).strftime("%Y-%m-%dT%H:%M:%SZ")})
    domains.append({"domain": d, "mx": hosts, "tls_reports": True,
                    "mta_sts": {"mode": "enforce", "id": "20261201T000000"}})
for k, h in enumerate(hosts):
    result("OK", "tlsa.disk-matched", h, f"the certificate on disk (/etc/{h}/fullchain.pem) matches a published TLSA record")
    for a in (f"192.0.2.{10 + k}:25", f"[2001:db8::{10 + k}]:25"):
        result("OK", "dane.verified", f"{h} {a}", "TLSv1.3 TLS_AES_256_GCM_SHA384, certificate authenticated by TLSA 3 1 1 " + "ab" * 32)
    expiries.append({"kind": "certificate", "subject": h, "source": "disk", "not_after": "2027-02-01T00:00:00Z"})
results.sort(key=lambda r: (r["subject"], r["id"], r["message"]))
worst = "CRITICAL" if n >= 50 else "WARNING" if n >= 7 else "OK"
top = {"status": worst, "exit_code": {"OK": 0, "WARNING": 1, "CRITICAL": 2}[worst],
       "started_at": start.strftime("%Y-%m-%dT%H:%M:%SZ"), "seconds": 600.0, "results": results,
       "plans": [], "expiries": expiries, "domains": domains}
json.dump(top, sys.stdout, indent=2)
sys.stdout.write("\n")
