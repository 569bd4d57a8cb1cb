#!/usr/bin/env python3
"""Writes the report mails of this directory: run it here after changing a shape; the output is
committed, so the tests need no Python. Dates are in the week before 2026-12-07."""
import base64, gzip, io, json, zlib

CRLF = "\r\n"

def b64(data):
    text = base64.b64encode(data).decode()
    return CRLF.join(text[i:i + 76] for i in range(0, len(text), 76))

def gz(text):
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", mtime=0) as f:
        f.write(text.encode() if isinstance(text, str) else text)
    return buf.getvalue()

def headers(subject, ctype, extra=""):
    return (f"From: noreply-smtp-tls-reporting@reporter.example{CRLF}"
            f"To: tlsrpt@example.com{CRLF}Subject: {subject}{CRLF}"
            f"Date: Mon, 07 Dec 2026 02:00:00 +0000{CRLF}"
            f"Message-ID: <{zlib.crc32(subject.encode())}.{subject.split()[0]}@reporter.example>{CRLF}"
            f"TLS-Report-Domain: example.com{CRLF}TLS-Report-Submitter: reporter.example{CRLF}"
            f"{extra}MIME-Version: 1.0{CRLF}Content-Type: {ctype}{CRLF}{CRLF}")

def multipart(subject, outer, parts, extra=""):
    boundary = "----=_Part_4711_1234567.1700000000000"
    body = headers(subject, f'{outer}; boundary="{boundary}"', extra)
    body += "This is a multi-part message in MIME format." + CRLF
    for ptype, pheaders, payload in parts:
        body += f"--{boundary}{CRLF}Content-Type: {ptype}{CRLF}{pheaders}{CRLF}{payload}{CRLF}"
    return body + f"--{boundary}--{CRLF}"

def text_part(text):
    return ('text/plain; charset="us-ascii"', "Content-Transfer-Encoding: 7bit" + CRLF, text)

def gzip_part(ctype, name, data):
    return (f'{ctype}; name="{name}"',
            f"Content-Transfer-Encoding: base64{CRLF}Content-Disposition: attachment; filename=\"{name}\"{CRLF}",
            b64(data))

def write(name, text):
    with open(name, "w", newline="") as f:
        f.write(text)

def report(org, rid, start, end, policies, contact="smtp-tls-reporting@reporter.example"):
    r = {"organization-name": org, "date-range": {"start-datetime": start, "end-datetime": end},
         "contact-info": contact, "report-id": rid, "policies": policies}
    return json.dumps(r, indent=2)

def sts(domain, ok, failed, details, mx=("mx1.example.com", "mx2.example.com")):
    return {"policy": {"policy-type": "sts",
                       "policy-string": ["version: STSv1", "mode: enforce"] + [f"mx: {m}" for m in mx] + ["max_age: 604800"],
                       "policy-domain": domain, "mx-host": list(mx)},
            "summary": {"total-successful-session-count": ok, "total-failure-session-count": failed},
            "failure-details": details}

def tlsa(domain, mx, ok, failed, details):
    return {"policy": {"policy-type": "tlsa",
                       "policy-string": ["3 1 1 0c72ac70b745ac19998811b131d662c9ac69dbdbe7cb23e5b514b56664c5d3d6"],
                       "policy-domain": domain, "mx-host": [mx]},
            "summary": {"total-successful-session-count": ok, "total-failure-session-count": failed},
            "failure-details": details}

appendix = open("rfc8460-appendix-b.json").read()

# RFC 8460 section 5.3: multipart/report; report-type=tlsrpt with an application/tlsrpt+gzip part
write("rfc8460-example.eml", multipart(
    "Report Domain: company-y.example Submitter: company-x.example Report-ID: <5065427c-23d3-47ca-b6e0-946ea0e8c4be>",
    'multipart/report; report-type="tlsrpt"',
    [text_part("This is an aggregate TLS report from company-x.example"),
     gzip_part("application/tlsrpt+gzip", "company-x.example!company-y.example!1459468800!1459555199.json.gz", gz(appendix))]))

# Google: multipart/report, application/tlsrpt+gzip, name org!domain!start!end!id.json.gz, no contact-info null quirks
google = report("Google LLC", "2026-12-05T00:00:00Z_example.com", "2026-12-05T00:00:00Z", "2026-12-05T23:59:59Z",
                [sts("example.com", 1200, 3, [{"result-type": "certificate-expired",
                                                "sending-mta-ip": "209.85.128.70",
                                                "receiving-mx-hostname": "mx2.example.com",
                                                "receiving-ip": "192.0.2.26", "failed-session-count": 3}])],
                contact="smtp-tls-reporting@google.com")
write("google-shape.eml", multipart(
    "Report Domain: example.com Submitter: google.com Report-ID: <2026.12.05T00.00.00Z+example.com@google.com>",
    'multipart/report; report-type=tlsrpt',
    [text_part("This is an aggregate TLS report from google.com"),
     gzip_part("application/tlsrpt+gzip", "google.com!example.com!1764892800!1764979199!001.json.gz", gz(google))]))

# Microsoft-like: multipart/mixed, the report as application/octet-stream, contact-info null, no sending-mta-ip
microsoft = json.loads(report("Microsoft Corporation", "133800000000000000+example.com", "2026-12-04T00:00:00Z",
                              "2026-12-04T23:59:59Z",
                              [tlsa("example.com", "mx1.example.com", 800, 10,
                                    [{"result-type": "tlsa-invalid", "receiving-mx-hostname": "mx1.example.com",
                                      "receiving-ip": "192.0.2.25", "failed-session-count": 10}])]))
microsoft["contact-info"] = None
write("microsoft-shape.eml", multipart(
    "Report Domain: example.com Submitter: microsoft.com Report-ID: <133800000000000000+example.com>",
    "multipart/mixed",
    [text_part("This is an aggregate TLS report from Microsoft."),
     gzip_part("application/octet-stream",
               "enterprise.protection.outlook.com!example.com!1764806400!1764892799.json.gz",
               gz(json.dumps(microsoft)))]))

# application/gzip attachment without a report name, the deviations of smaller senders:
# mx-host as a string, numbers as strings, draft field names
quirky = ('{"organization-name":"Small Mail AG","date-range":{"start-datetime":"2026-12-03T00:00:00Z",'
          '"end-datetime":"2026-12-03T23:59:59Z"},"contact-info":null,"report-id":"small-42",'
          '"policies":[{"policy":{"policy-type":"sts","policy-string":["version: STSv1","mode: enforce",'
          '"mx: mx1.example.com","mx: mx2.example.com","max_age: 604800"],"policy-domain":"Example.COM.",'
          '"mx-host":"mx1.example.com mx2.example.com"},'
          '"summary":{"total-successful-session-count":"17","total-failure-session-count":"2"},'
          '"failure-details":[{"result_type":"sts-webpki-invalid","receiving-mx-hostname":"MX2.example.com.",'
          '"failed-session-count":"2","additional-information":null}]}]}')
write("quirks-application-gzip.eml", multipart(
    "TLS report for example.com", "multipart/mixed",
    [text_part("TLS report attached."),
     ("application/gzip", "Content-Transfer-Encoding: base64" + CRLF + "Content-Disposition: attachment" + CRLF,
      b64(gz(quirky)))]))

# the whole body is the report: application/tlsrpt+json, 8bit
multi = report("Mail Provider GmbH", "mp-2026-12-06-1", "2026-12-06T00:00:00Z", "2026-12-06T23:59:59Z", [
    sts("example.com", 500, 0, []),
    tlsa("example.com", "mx1.example.com", 300, 4,
         [{"result-type": "dnssec-invalid", "sending-mta-ip": "198.51.100.7", "receiving-mx-hostname": "mx1.example.com",
           "failed-session-count": 4, "failure-reason-code": "SERVFAIL"}]),
    tlsa("example.com", "mx2.example.com", 250, 0, []),
    {"policy": {"policy-type": "no-policy-found", "policy-domain": "example.org"},
     "summary": {"total-successful-session-count": 40, "total-failure-session-count": 1},
     "failure-details": [{"result-type": "starttls-not-supported", "sending-mta-ip": "198.51.100.7",
                          "receiving-mx-hostname": "mx.example.org", "receiving-mx-helo": "mx.example.org",
                          "failed-session-count": 1}]}])
write("multi-policy-json-body.eml",
      headers("Report Domain: example.com Submitter: mail-provider.example Report-ID: <mp-2026-12-06-1>",
              "application/tlsrpt+json", "Content-Transfer-Encoding: 8bit" + CRLF) + multi.replace("\n", CRLF) + CRLF)

# bad inputs
write("bad-not-a-report.eml", headers("Lunch on Friday?", 'text/plain; charset="utf-8"') + "Shall we meet at noon?" + CRLF)
write("bad-broken-gzip.eml", multipart("Report Domain: example.com broken gzip", 'multipart/report; report-type="tlsrpt"',
      [text_part("broken"), gzip_part("application/tlsrpt+gzip", "x!example.com!1!2.json.gz", gz(google)[:60])]))
bomb = gz(b"{" + b" " * (64 * 1024 * 1024) + b"}")
write("bad-gzip-bomb.eml", multipart("Report Domain: example.com bomb", 'multipart/report; report-type="tlsrpt"',
      [text_part("bomb"), gzip_part("application/tlsrpt+gzip", "bomb!example.com!1!2.json.gz", bomb)]))
write("bad-truncated-json.eml", multipart("Report Domain: example.com truncated", 'multipart/report; report-type="tlsrpt"',
      [text_part("truncated"), gzip_part("application/tlsrpt+gzip", "t!example.com!1!2.json.gz", gz(google[:200]))]))
wrong = json.loads(google)
wrong["report-id"] = "wrong-types"
wrong["policies"][0]["summary"]["total-failure-session-count"] = {"many": True}
write("bad-wrong-types.eml", multipart("Report Domain: example.com wrong types", 'multipart/report; report-type="tlsrpt"',
      [text_part("wrong"), gzip_part("application/tlsrpt+gzip", "w!example.com!1!2.json.gz", gz(json.dumps(wrong)))]))
