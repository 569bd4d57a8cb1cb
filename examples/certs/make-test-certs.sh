#!/bin/sh
# make-test-certs.sh - create the TEST-ONLY PKI used by the examples and the test suite.
#
#   *** TEST MATERIAL ONLY. The private keys are public (they are in the source tree). ***
#   *** Never use any of these keys or certificates for a real service.                 ***
#
# Creates, next to this script:
#   ca/root.pem                 "mxpolicy Example Test Root CA"      ECDSA P-384, self-signed
#   ca/issuing-ca.pem           "mxpolicy Example Test Issuing CA"   ECDSA P-256, signed by the root
#   ca/issuing-ca-2.pem         "mxpolicy Example Test Issuing CA 2" RSA 3072, signed by the root
#                               (the CA's backup intermediate, never used to issue here)
#   ca/private/*.key            the CA keys, so leaves can be re-issued
#   <host>/cert.pem             leaf certificate, issued by "Issuing CA", SAN dNSName=<host>
#   <host>/chain.pem            the issuing intermediate
#   <host>/fullchain.pem        leaf + intermediate (certbot layout)
#   <host>/privkey.pem          the leaf's private key (PKCS#8)
#   <host>/next.key             (MX hosts only) the key for the next renewal (PKCS#8), whose
#                               public part is pre-published as TLSA 3 1 1
#
# Idempotent: a file that already exists is kept, so the SPKI digests the golden files depend
# on stay stable. Delete a file (or a whole directory) to have it created again; certificates
# are re-issued when their key is new. Validity is 100 years so the examples never expire.
#
# Requires: POSIX sh, openssl (1.1.1 or 3.x).
set -eu

here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
cd "$here"

umask 022
days=36500
work=$(mktemp -d "${TMPDIR:-/tmp}/mxpolicy-test-certs.XXXXXX")
trap 'rm -rf "$work"' EXIT HUP INT TERM

log() { printf '%s\n' "$*" >&2; }

testonly_note() {
    # A loud marker in every directory holding generated material.
    dir=$1
    if [ ! -f "$dir/TEST-MATERIAL-ONLY.txt" ]; then
        cat > "$dir/TEST-MATERIAL-ONLY.txt" <<'EOF'
TEST MATERIAL ONLY - DO NOT USE IN PRODUCTION.

The keys and certificates in this directory were made by examples/certs/make-test-certs.sh
for the mxpolicy examples and tests. The private keys are published with the source code,
so anyone can impersonate these names with them. The CA is not trusted by anything.
EOF
    fi
}

# genkey FILE ec:P-256 | ec:P-384 | rsa:2048 | rsa:3072  -- PKCS#8, mode 0600.
# Keeps an existing FILE. Sets created=1 when it made a new key, else created=0.
genkey() {
    gk_file=$1 gk_spec=$2
    created=0
    [ -f "$gk_file" ] && return 0
    case $gk_spec in
        ec:*)  set -- -algorithm EC -pkeyopt "ec_paramgen_curve:${gk_spec#ec:}" -pkeyopt ec_param_enc:named_curve ;;
        rsa:*) set -- -algorithm RSA -pkeyopt "rsa_keygen_bits:${gk_spec#rsa:}" ;;
        *) log "unknown key spec $gk_spec"; exit 2 ;;
    esac
    (umask 077 && openssl genpkey "$@" -out "$gk_file.tmp" 2>/dev/null) || { log "openssl genpkey failed for $gk_file"; exit 1; }
    mv "$gk_file.tmp" "$gk_file"
    chmod 0600 "$gk_file"
    log "created $gk_file ($gk_spec)"
    created=1
}

serial() { printf '0x%s\n' "$(openssl rand -hex 16)"; }

cat > "$work/ext.cnf" <<'EOF'
[ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = unused
[ v3_root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[ v3_issuing ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
[ v3_leaf_ec ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:${ENV::MXPOLICY_SAN}
[ v3_leaf_rsa ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid:always
subjectAltName = DNS:${ENV::MXPOLICY_SAN}
EOF
MXPOLICY_SAN=unused
export MXPOLICY_SAN

org="/O=mxpolicy Example TEST ONLY"

# issue OUT KEY SUBJECT EXTSECTION CACERT CAKEY DIGEST
issue() {
    is_out=$1 is_key=$2 is_subj=$3 is_ext=$4 is_cacert=$5 is_cakey=$6 is_md=$7
    openssl req -new -config "$work/ext.cnf" -key "$is_key" -subj "$is_subj" -out "$work/req.csr" \
        || { log "openssl req failed for $is_out"; exit 1; }
    openssl x509 -req -in "$work/req.csr" -CA "$is_cacert" -CAkey "$is_cakey" -set_serial "$(serial)" \
        -days "$days" "-$is_md" -extfile "$work/ext.cnf" -extensions "$is_ext" -out "$is_out.tmp" 2>/dev/null \
        || { log "openssl x509 failed for $is_out"; exit 1; }
    mv "$is_out.tmp" "$is_out"
    log "issued $is_out ($is_subj)"
}

# ---- CA -------------------------------------------------------------------------------------
mkdir -p ca/private
chmod 0700 ca/private
testonly_note ca
testonly_note ca/private

new_root=0
genkey ca/private/root.key ec:P-384
if [ "$created" = 1 ] || [ ! -f ca/root.pem ]; then
    openssl req -x509 -new -config "$work/ext.cnf" -key ca/private/root.key \
        -subj "$org/CN=mxpolicy Example Test Root CA" -set_serial "$(serial)" -days "$days" \
        -sha384 -extensions v3_root -out ca/root.pem.tmp || { log "openssl req -x509 failed"; exit 1; }
    mv ca/root.pem.tmp ca/root.pem
    log "issued ca/root.pem"
    new_root=1
fi

new_issuing=0
genkey ca/private/issuing-ca.key ec:P-256
if [ "$created" = 1 ] || [ ! -f ca/issuing-ca.pem ] || [ "$new_root" = 1 ]; then
    issue ca/issuing-ca.pem ca/private/issuing-ca.key "$org/CN=mxpolicy Example Test Issuing CA" \
        v3_issuing ca/root.pem ca/private/root.key sha384
    new_issuing=1
fi

genkey ca/private/issuing-ca-2.key rsa:3072
if [ "$created" = 1 ] || [ ! -f ca/issuing-ca-2.pem ] || [ "$new_root" = 1 ]; then
    issue ca/issuing-ca-2.pem ca/private/issuing-ca-2.key "$org/CN=mxpolicy Example Test Issuing CA 2" \
        v3_issuing ca/root.pem ca/private/root.key sha384
fi

# ---- leaves ---------------------------------------------------------------------------------
# leaf HOST KEYSPEC [NEXTKEYSPEC]
leaf() {
    host=$1 spec=$2 next=${3:-}
    mkdir -p "$host"
    testonly_note "$host"
    case $spec in rsa:*) leaf_ext=v3_leaf_rsa ;; *) leaf_ext=v3_leaf_ec ;; esac
    genkey "$host/privkey.pem" "$spec"
    if [ "$created" = 1 ] || [ ! -f "$host/cert.pem" ] || [ "$new_issuing" = 1 ]; then
        MXPOLICY_SAN=$host
        issue "$host/cert.pem" "$host/privkey.pem" "$org/CN=$host" "$leaf_ext" \
            ca/issuing-ca.pem ca/private/issuing-ca.key sha256
        rm -f "$host/chain.pem" "$host/fullchain.pem"
    fi
    if [ ! -f "$host/chain.pem" ] || ! cmp -s "$host/chain.pem" ca/issuing-ca.pem; then
        cp ca/issuing-ca.pem "$host/chain.pem"
    fi
    cat "$host/cert.pem" "$host/chain.pem" > "$work/fullchain.pem"
    if [ ! -f "$host/fullchain.pem" ] || ! cmp -s "$work/fullchain.pem" "$host/fullchain.pem"; then
        cp "$work/fullchain.pem" "$host/fullchain.pem"
    fi
    if [ -n "$next" ]; then
        genkey "$host/next.key" "$next"
    fi
    chmod 0600 "$host/privkey.pem"
}

leaf mx1.example.com     ec:P-256 ec:P-256
leaf mx2.example.com     rsa:2048 rsa:2048
leaf mta-sts.example.com ec:P-256
leaf mta-sts.example.net ec:P-256
leaf autoconfig.example.com ec:P-256
leaf autodiscover.example.com ec:P-256

# ---- self-check -----------------------------------------------------------------------------
for host in mx1.example.com mx2.example.com mta-sts.example.com mta-sts.example.net autoconfig.example.com \
        autodiscover.example.com; do
    openssl verify -CAfile ca/root.pem -untrusted "$host/chain.pem" "$host/cert.pem" >/dev/null
done
openssl verify -CAfile ca/root.pem ca/issuing-ca-2.pem >/dev/null
log "test PKI complete in $here (TEST MATERIAL ONLY)"
