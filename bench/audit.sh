#!/usr/bin/env bash
# Speed of `mxpolicy audit` over many mail domains, against testssl.sh on a sample of them
# scaled up: one signing Knot and one Postfix (listening on every loopback address) in a private
# network namespace. Needs root. See bench/README.md.
#
#   bench/audit.sh                  # 1,000 domains, each with its own MX host and address
#   DOMAINS=100 bench/audit.sh      # fewer
#   SAMPLE=5 bench/audit.sh         # testssl.sh on 5 of them (default 2)
#   PARALLEL=8 bench/audit.sh       # audit --parallel (default 16, audit's default)
#   KEEP=1 bench/audit.sh           # keep the work directory (zone, logs, outputs)
set -euo pipefail

DOMAINS=${DOMAINS:-1000}
SAMPLE=${SAMPLE:-2}
PARALLEL=${PARALLEL:-16}
KEEP=${KEEP:-0}
ZONE=example.test
KNOT_ADDR=127.0.0.1   # Knot, authoritative and signing, port 53
TARGET=20             # the issue's target: audit all DOMAINS faster than testssl.sh does 20

cd "$(dirname "$0")/.."
root=$(pwd)

die() { echo "audit.sh: $*" >&2; exit 2; }

[[ $DOMAINS =~ ^[1-9][0-9]*$ && $DOMAINS -le 9999 ]] || die "DOMAINS must be 1 to 9999, not '$DOMAINS'"
[[ $SAMPLE =~ ^[1-9][0-9]*$ && $SAMPLE -le $DOMAINS ]] || die "SAMPLE must be 1 to DOMAINS, not '$SAMPLE'"
[[ $PARALLEL =~ ^[1-9][0-9]*$ ]] || die "PARALLEL must be a positive number, not '$PARALLEL'"
[[ $(id -u) -eq 0 ]] || die "needs root (network namespace, Postfix, port 25 and 53)"

[[ -x /usr/bin/time ]] || apt-get install -y -q time >/dev/null || die "cannot install the 'time' package (GNU time)"
for tool in ip knotd knotc keymgr kdig postfix openssl testssl jq awk; do
    command -v "$tool" >/dev/null ||
        die "$tool is missing (packages: iproute2, knot, knot-dnsutils, postfix, openssl, testssl.sh, jq)"
done

if [[ ! -f target/mxpolicy.jar ]]; then
    echo "building target/mxpolicy.jar ..."
    ./mvnw -B -q package -DskipTests
fi

ns=mxpolicy-audit-$$
work=$(mktemp -d "${TMPDIR:-/tmp}/mxpolicy-audit.XXXXXX")
chmod 755 "$work"

cleanup() {
    set +e
    if ip netns list | grep -qw "$ns"; then
        [[ -f $work/postfix/conf/main.cf ]] && ip netns exec "$ns" postfix -c "$work/postfix/conf" stop >/dev/null 2>&1
        [[ -f $work/knot/knot.conf ]] && knotc -c "$work/knot/knot.conf" stop >/dev/null 2>&1
        local pids
        for _ in 1 2 3 4 5 6 7 8 9 10; do
            pids=$(ip netns pids "$ns" 2>/dev/null)
            [[ -z $pids ]] && break
            sleep 0.5
        done
        # shellcheck disable=SC2086 # a list of pids
        [[ -n $pids ]] && kill -9 $pids 2>/dev/null
        ip netns del "$ns"
    fi
    if [[ $KEEP == 1 ]]; then
        echo "work directory kept: $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$ns"
ip netns exec "$ns" ip link set lo up
in_ns() { ip netns exec "$ns" "$@"; }

poll() {
    local limit=$1
    shift
    local deadline=$((SECONDS + limit))
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}

name() { printf '%s%04d' "$1" "$2"; }
# Every MX host has its own address, so the limit per IP address does not serialize the run.
address() { printf '127.1.%d.%d' $((($1 - 1) / 250)) $((($1 - 1) % 250 + 1)); }

echo "lab in namespace $ns, work directory $work"
mkdir -p "$work/pki"
(
    cd "$work/pki"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 90 \
        -subj "/CN=Bench Lab CA" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
        >/dev/null 2>&1
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout mx.key -out mx.csr \
        -subj "/CN=mx.$ZONE" >/dev/null 2>&1
    printf 'subjectAltName=DNS:*.%s\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n' \
        "$ZONE" > mx.ext
    openssl x509 -req -in mx.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 60 -extfile mx.ext -out mx.crt \
        >/dev/null 2>&1
    cat mx.crt ca.pem > mx.pem
    chmod 644 mx.key
) || die "openssl failed"

echo "zone $ZONE: $DOMAINS domains ..."
mkdir -p "$work/knot"
zonefile=$work/knot/$ZONE.zone
{
    # shellcheck disable=SC2016 # $ORIGIN and $TTL are zone-file directives
    printf '$ORIGIN %s.\n$TTL 300\n' "$ZONE"
    printf '@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A %s\n' "$KNOT_ADDR"
    for ((i = 1; i <= DOMAINS; i++)); do
        printf '%s IN MX 10 %s\n%s IN A %s\n' "$(name d "$i")" "$(name mx "$i")" "$(name mx "$i")" "$(address "$i")"
    done
} > "$zonefile"

cat > "$work/knot/knot.conf" <<EOF
server:
    rundir: "$work/knot"
    listen: $KNOT_ADDR@53
database:
    storage: "$work/knot"
log:
  - target: "$work/knot/knotd.log"
    any: info
policy:
  - id: bench
    algorithm: ecdsap256sha256
    single-type-signing: on
zone:
  - domain: $ZONE
    file: "$zonefile"
    dnssec-signing: on
    dnssec-policy: bench
    zonefile-sync: -1
    journal-content: none
EOF
knotc -c "$work/knot/knot.conf" conf-check >/dev/null || die "knot.conf rejected"
in_ns knotd -d -c "$work/knot/knot.conf"
last=$(name mx "$DOMAINS").$ZONE
poll 60 sh -c "ip netns exec '$ns' kdig @$KNOT_ADDR +dnssec +time=1 +retry=0 '$last' A | grep -q 'RRSIG.*A'" ||
    die "Knot did not serve the signed zone within 60 s; see $work/knot/knotd.log (KEEP=1 keeps it)"
ds=$(keymgr -c "$work/knot/knot.conf" "$ZONE" ds | awk '$2 == "DS" && $5 == 2 { print; exit }')
[[ -n $ds ]] || die "keymgr printed no SHA-256 DS for $ZONE"

echo "Postfix ..."
pf=$work/postfix
mkdir -p "$pf/conf" "$pf/queue" "$pf/data"
chown postfix "$pf/data"
# Within the TR-03116-4 profile, as a provider would configure an MX.
cat > "$pf/conf/openssl.cnf" <<'EOF'
mxpolicy = mxpolicy_settings
[mxpolicy_settings]
ssl_conf = ssl_section
[ssl_section]
system_default = tls_defaults
[tls_defaults]
Ciphersuites = TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256
SignatureAlgorithms = ecdsa_secp256r1_sha256:ecdsa_secp384r1_sha384
EOF
cat > "$pf/conf/main.cf" <<EOF
compatibility_level = 3.6
myhostname = mx.$ZONE
mydestination =
relay_domains =
smtpd_relay_restrictions = reject
alias_maps =
alias_database =
inet_interfaces = all
inet_protocols = ipv4
queue_directory = $pf/queue
data_directory = $pf/data
maillog_file = /dev/stdout
smtpd_banner = \$myhostname ESMTP
smtpd_tls_security_level = may
smtpd_tls_chain_files = $work/pki/mx.key, $work/pki/mx.pem
smtpd_tls_protocols = >=TLSv1.2
smtpd_tls_ciphers = high
tls_high_cipherlist = ECDHE+AESGCM
tls_preempt_cipherlist = yes
tls_eecdh_auto_curves = prime256v1 secp384r1
tls_config_file = $pf/conf/openssl.cnf
tls_config_name = mxpolicy
smtpd_peername_lookup = no
default_process_limit = 200
smtpd_client_connection_count_limit = 0
EOF
cat > "$pf/conf/master.cf" <<'EOF'
25        inet n       -       n       -       -       smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
postfix -c "$pf/conf" check >/dev/null 2>&1 || die "postfix check failed for $pf/conf"
in_ns postfix -c "$pf/conf" start > "$pf/postfix.log" 2>&1 || die "postfix did not start; see $pf/postfix.log"
poll 30 sh -c "ip netns exec '$ns' timeout 2 bash -c 'exec 3<>/dev/tcp/$(address 1)/25; head -c 4 <&3' | grep -q 220" ||
    die "Postfix does not greet on $(address 1):25 within 30 s"

wall_seconds() {
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i];
        printf "%.2f", s }' "$1"
}
peak_mib() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }
cpu_seconds() { awk -F': ' '/(User|System) time \(seconds\)/ { s += $2 } END { printf "%.2f", s }' "$1"; }

load_before=$(cut -d' ' -f1 /proc/loadavg)
for ((i = 1; i <= DOMAINS; i++)); do printf '%s.%s\n' "$(name d "$i")" "$ZONE"; done > "$work/domains"

echo
echo "mxpolicy audit, $DOMAINS domains, --parallel $PARALLEL ..."
audit_rc=0
# shellcheck disable=SC2046 # one argument per domain
in_ns /usr/bin/time -v -o "$work/audit.time" "$root/bin/mxpolicy" audit --format json --parallel "$PARALLEL" \
    --resolver "$KNOT_ADDR" --trust-anchor "$ds" --ehlo "bench.$ZONE" $(cat "$work/domains") \
    > "$work/audit.json" 2> "$work/audit.err" || audit_rc=$?
audit_wall=$(wall_seconds "$work/audit.time")
audit_cpu=$(cpu_seconds "$work/audit.time")
audit_mib=$(peak_mib "$work/audit.time")
if jq -e . "$work/audit.json" >/dev/null 2>&1; then
    audit_status=$(jq -r .status "$work/audit.json")
    audit_scanned=$(jq '[.domains[].mx[].addresses[] | select(.versions | length > 0)] | length' "$work/audit.json")
    audit_handshakes=$(jq '[.domains[].mx[].addresses[].handshakes] | add' "$work/audit.json")
    audit_suites=$(jq -r '.domains[0].mx[0].addresses[0].versions | map("\(.version): \(.suites | join(" "))") | join("; ")' \
        "$work/audit.json")
else
    audit_status="no report" audit_scanned=0 audit_handshakes=0 audit_suites=""
    tail -20 "$work/audit.err" | sed 's/^/    | /' >&2
fi

echo "testssl.sh on $SAMPLE of them, one after the other ..."
: > "$work/testssl.times"
for ((i = 1; i <= SAMPLE; i++)); do
    # The same checks as the audit: protocols, each cipher, server order, curves, certificate.
    in_ns /usr/bin/time -v -o "$work/testssl.$i.time" testssl --quiet --color 0 --warnings off --sneaky \
        -p -e -P -f -S --starttls smtp --jsonfile "$work/testssl.$i.json" "$(address "$i"):25" \
        > "$work/testssl.$i.log" 2>&1 || true
    wall_seconds "$work/testssl.$i.time" >> "$work/testssl.times"
    echo >> "$work/testssl.times"
done
testssl_mean=$(awk 'NF { s += $1; n++ } END { printf "%.2f", s / n }' "$work/testssl.times")
testssl_target=$(awk -v m="$testssl_mean" -v t="$TARGET" 'BEGIN { printf "%.2f", m * t }')
testssl_all=$(awk -v m="$testssl_mean" -v d="$DOMAINS" 'BEGIN { printf "%.2f", m * d }')

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.4f", a / b; else print "-" }'; }
echo
printf '%d domains (each its own MX host and loopback address, port 25), zone %s signed by Knot.\n' "$DOMAINS" "$ZONE"
printf '%s CPU cores; load average %s before the runs, %s after.\n' "$(nproc)" "$load_before" \
    "$(cut -d' ' -f1 /proc/loadavg)"
printf '%-44s %9s %8s %9s  %s\n' run "wall s" "CPU s" "peak MiB" status
printf '%-44s %9s %8s %9s  %s\n' "mxpolicy audit --parallel $PARALLEL, $DOMAINS domains" "$audit_wall" "$audit_cpu" \
    "$audit_mib" "$audit_status (exit $audit_rc; $audit_scanned scanned, $audit_handshakes handshakes)"
printf '%-44s %9s\n' "testssl.sh, mean of $SAMPLE" "$testssl_mean"
printf '%-44s %9s\n' "testssl.sh, scaled to $TARGET domains" "$testssl_target"
printf '%-44s %9s\n' "testssl.sh, scaled to $DOMAINS domains" "$testssl_all"
echo
echo "first MX as the audit saw it: $audit_suites"
echo "wall time, audit of $DOMAINS / testssl.sh of $DOMAINS (scaled): $(ratio "$audit_wall" "$testssl_all")"
echo "wall time, audit of $DOMAINS / testssl.sh of $TARGET (scaled): $(ratio "$audit_wall" "$testssl_target")"
awk -v a="$audit_wall" -v t="$testssl_target" -v m="$audit_mib" -v n="$TARGET" -v d="$DOMAINS" 'BEGIN {
    printf "target, audit of %d domains faster than testssl.sh of %d: %s; peak memory under 1 GiB: %s\n", d, n,
        (a + 0 < t + 0 ? "met" : "NOT MET"), (m + 0 < 1024 ? "met" : "NOT MET") }'
if [[ $audit_scanned -ne $DOMAINS ]]; then
    echo "audit scanned $audit_scanned of $DOMAINS MX addresses (KEEP=1 keeps audit.json and audit.err)"
    exit 1
fi
