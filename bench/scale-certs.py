#!/usr/bin/env python3
"""Issues an ECDSA P-256 certificate for mta-sts.<domain> of every domain named on stdin, one per
line, into DIR/mta-sts.<domain>/{fullchain,privkey}.pem, signed by the examples' test issuing CA
(test material: never use it for anything real). Used by bench/scale.sh; needs python3-cryptography."""
import datetime
import os
import sys

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

out, ca_dir = sys.argv[1], sys.argv[2]
with open(os.path.join(ca_dir, "issuing-ca.pem"), "rb") as f:
    ca_pem = f.read()
ca = x509.load_pem_x509_certificate(ca_pem)
with open(os.path.join(ca_dir, "private", "issuing-ca.key"), "rb") as f:
    ca_key = serialization.load_pem_private_key(f.read(), password=None)
now = datetime.datetime.now(datetime.timezone.utc)
for domain in sys.stdin.read().split():
    host = "mta-sts." + domain
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host)]))
        .issuer_name(ca.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=90))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(host)]), critical=False)
        .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    d = os.path.join(out, host)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "fullchain.pem"), "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM) + ca_pem)
    fd = os.open(os.path.join(d, "privkey.pem"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
