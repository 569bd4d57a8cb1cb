#!/usr/bin/env bash
# Speed of `mxpolicy check` over many domains, against posttls-finger doing the same DANE
# verifications: one signing Knot, one validating unbound and one Postfix in a private network
# namespace. Needs root. See bench/README.md.
#
#   bench/check.sh                  # 1,000 domains, each with its own MX host
#   DOMAINS=100 bench/check.sh      # fewer
#   PARALLEL=8 bench/check.sh       # check --parallel and xargs -P (default 32, check's default)
#   KEEP=1 bench/check.sh           # keep the work directory (configs, zone, logs, outputs)
#   HOLD=1 bench/check.sh           # keep the lab running after the runs until interrupted
set -euo pipefail

DOMAINS=${DOMAINS:-1000}
PARALLEL=${PARALLEL:-32}
KEEP=${KEEP:-0}
HOLD=${HOLD:-0}
ZONE=example.test
KNOT_ADDR=127.0.0.1   # Knot, authoritative and signing, port 53
RESOLVER=127.0.0.2    # unbound, validating, port 53: resolv.conf cannot name another port

cd "$(dirname "$0")/.."
root=$(pwd)

die() { echo "check.sh: $*" >&2; exit 2; }

[[ $DOMAINS =~ ^[1-9][0-9]*$ && $DOMAINS -le 9999 ]] || die "DOMAINS must be 1 to 9999, not '$DOMAINS'"
[[ $PARALLEL =~ ^[1-9][0-9]*$ ]] || die "PARALLEL must be a positive number, not '$PARALLEL'"
[[ $(id -u) -eq 0 ]] || die "needs root (network namespace, Postfix, port 25 and 53)"

# ---- tools ----------------------------------------------------------------------------------

[[ -x /usr/bin/time ]] || apt-get install -y -q time >/dev/null || die "cannot install the 'time' package (GNU time)"
for tool in ip knotd knotc keymgr kdig unbound unbound-checkconf unbound-control postfix posttls-finger openssl \
    jq xargs awk; do
    command -v "$tool" >/dev/null ||
        die "$tool is missing (packages: iproute2, knot, knot-dnsutils, unbound, postfix, openssl, jq, findutils)"
done

if [[ ! -f target/mxpolicy.jar ]]; then
    echo "building target/mxpolicy.jar ..."
    ./mvnw -B -q package -DskipTests
fi

# ---- namespace and clean-up -----------------------------------------------------------------

ns=mxpolicy-check-$$
work=$(mktemp -d "${TMPDIR:-/tmp}/mxpolicy-check.XXXXXX")
# The postfix user must be able to enter the queue and data directories below it.
chmod 755 "$work"

cleanup() {
    set +e
    if ip netns list | grep -qw "$ns"; then
        [[ -f $work/postfix/conf/main.cf ]] && ip netns exec "$ns" postfix -c "$work/postfix/conf" stop >/dev/null 2>&1
        [[ -f $work/knot/knot.conf ]] && knotc -c "$work/knot/knot.conf" stop >/dev/null 2>&1
        [[ -f $work/unbound/unbound.pid ]] && kill "$(cat "$work/unbound/unbound.pid")" 2>/dev/null
        # Whatever is left in the namespace was started by this script.
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
    rm -rf "/etc/netns/$ns"
    if [[ $KEEP == 1 ]]; then
        echo "work directory kept: $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$ns"
mkdir -p "/etc/netns/$ns"
# glibc drops the AD bit unless told to trust the resolver; Postfix needs it for DANE.
printf 'nameserver %s\noptions trust-ad\n' "$RESOLVER" > "/etc/netns/$ns/resolv.conf"
ip netns exec "$ns" ip link set lo up
in_ns() { ip netns exec "$ns" "$@"; }

# poll SECONDS COMMAND...: runs COMMAND every 0.2 s until it succeeds or SECONDS have passed.
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

# ---- PKI: one CA, one MX key and certificate for every MX host ------------------------------

echo "lab in namespace $ns, work directory $work"
echo "PKI ..."
mkdir -p "$work/pki"
(
    cd "$work/pki"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem -days 90 \
        -subj "/CN=Bench Lab CA" -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign \
        >/dev/null 2>&1
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout mx.key -out mx.csr \
        -subj "/CN=mx.$ZONE" >/dev/null 2>&1
    # DANE-EE (3 1 1) ignores names, so one certificate serves every MX host; the wildcard also
    # names them all for the DANE-TA records that are published next to it.
    printf 'subjectAltName=DNS:*.%s\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n' \
        "$ZONE" > mx.ext
    openssl x509 -req -in mx.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 60 -extfile mx.ext -out mx.crt \
        >/dev/null 2>&1
    cat mx.crt ca.pem > mx.pem
    chmod 644 mx.key
) || die "openssl failed"

# ---- config: DOMAINS domains, each with its own MX host and TLS-RPT ---------------------------

domains_yaml() {
    local i
    echo "domains:"
    for ((i = 1; i <= DOMAINS; i++)); do
        printf '  - name: %s.%s\n    mx:\n      - host: %s.%s\n        cert: pki/mx.pem\n' \
            "$(name d "$i")" "$ZONE" "$(name mx "$i")" "$ZONE"
        printf '    tls_rpt: { rua: "mailto:tlsrpt@%s" }\n' "$ZONE"
    done
}
zones_yaml() {
    printf 'zones:\n  %s:\n    ttl: 300\n    nameservers: [ "%s" ]\n' "$ZONE" "$KNOT_ADDR"
}
{ zones_yaml; domains_yaml; } > "$work/generate.yaml"

# ---- zone: base records, then the records mxpolicy generates --------------------------------

echo "zone $ZONE: $DOMAINS domains and MX hosts ..."
mkdir -p "$work/knot"
zonefile=$work/knot/$ZONE.zone
{
    # shellcheck disable=SC2016 # $ORIGIN and $TTL are zone-file directives
    printf '$ORIGIN %s.\n$TTL 300\n' "$ZONE"
    printf '@ IN SOA ns1 hostmaster 1 3600 600 86400 300\n@ IN NS ns1\nns1 IN A %s\n' "$KNOT_ADDR"
    for ((i = 1; i <= DOMAINS; i++)); do
        printf '%s IN MX 10 %s\n%s IN A 127.0.0.1\n' "$(name d "$i")" "$(name mx "$i")" "$(name mx "$i")"
    done
    "$root/bin/mxpolicy" generate -c "$work/generate.yaml"
} > "$zonefile" || die "mxpolicy generate failed"
tlsa_rrsets=$(grep -c ' IN TLSA 3 ' "$zonefile" || true)
[[ $tlsa_rrsets -eq $DOMAINS ]] || die "the generated zone has $tlsa_rrsets DANE-EE records, expected $DOMAINS"

# ---- Knot: signs the zone (ECDSA P-256, one combined key) and serves it ---------------------

echo "Knot ..."
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
last_tlsa=_25._tcp.$(name mx "$DOMAINS").$ZONE
# Signed and complete: the last host's TLSA RRset is served with its signature.
poll 60 sh -c "ip netns exec '$ns' kdig @$KNOT_ADDR +dnssec +time=1 +retry=0 '$last_tlsa' TLSA | grep -q 'RRSIG.*TLSA'" ||
    die "Knot did not serve the signed zone within 60 s; see $work/knot/knotd.log (KEEP=1 keeps it)"
ds=$(keymgr -c "$work/knot/knot.conf" "$ZONE" ds | awk '$2 == "DS" && $5 == 2 { print; exit }')
[[ -n $ds ]] || die "keymgr printed no SHA-256 DS for $ZONE"

# ---- unbound: validating resolver from that DS, for posttls-finger (and check) -------------

echo "unbound ..."
mkdir -p "$work/unbound"
cat > "$work/unbound/unbound.conf" <<EOF
server:
    interface: $RESOLVER
    port: 53
    do-ip6: no
    chroot: ""
    username: ""
    directory: "$work/unbound"
    pidfile: "$work/unbound/unbound.pid"
    logfile: "$work/unbound/unbound.log"
    use-syslog: no
    do-not-query-localhost: no
    local-zone: "test." nodefault
    trust-anchor: "$ds"
    num-threads: 2
    msg-cache-size: 64m
    rrset-cache-size: 128m
stub-zone:
    name: "$ZONE"
    stub-addr: $KNOT_ADDR@53
remote-control:
    control-enable: yes
    control-interface: "$work/unbound/unbound.ctl"
EOF
unbound-checkconf "$work/unbound/unbound.conf" >/dev/null || die "unbound.conf rejected"
in_ns unbound -c "$work/unbound/unbound.conf"
poll 30 sh -c "ip netns exec '$ns' kdig @$RESOLVER +dnssec +time=1 +retry=0 '$last_tlsa' TLSA | grep -q 'Flags:.* ad;'" ||
    die "unbound does not validate $last_tlsa within 30 s; see $work/unbound/unbound.log"
flush_resolver() { unbound-control -c "$work/unbound/unbound.conf" reload >/dev/null; }

# ---- Postfix: the MX for every host, 127.0.0.1:25 -------------------------------------------

echo "Postfix ..."
pf=$work/postfix
mkdir -p "$pf/conf" "$pf/queue" "$pf/data"
chown postfix "$pf/data"
cat > "$pf/conf/main.cf" <<EOF
compatibility_level = 3.6
myhostname = mx.$ZONE
mydestination =
relay_domains =
smtpd_relay_restrictions = reject
alias_maps =
alias_database =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
queue_directory = $pf/queue
data_directory = $pf/data
maillog_file = /dev/stdout
smtpd_banner = \$myhostname ESMTP
smtpd_tls_security_level = may
smtpd_tls_chain_files = $work/pki/mx.key, $work/pki/mx.pem
# No reverse lookup of the client: the bench measures TLS and DANE, not smtpd's DNS.
smtpd_peername_lookup = no
EOF
# The services of PostfixServer (src/test/java/org/mxpolicy/testing), known to work here.
cat > "$pf/conf/master.cf" <<'EOF'
127.0.0.1:25 inet n       -       n       -       -       smtpd
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
poll 30 sh -c "ip netns exec '$ns' timeout 2 bash -c 'exec 3<>/dev/tcp/127.0.0.1/25; head -c 4 <&3' | grep -q 220" ||
    die "Postfix does not greet on 127.0.0.1:25 within 30 s"

# The client side of posttls-finger: DANE from DNSSEC-validated lookups.
mkdir -p "$work/finger"
cat > "$work/finger/main.cf" <<EOF
compatibility_level = 3.6
myhostname = bench.$ZONE
smtp_dns_support_level = dnssec
smtp_tls_security_level = dane
EOF

# ---- timed runs ------------------------------------------------------------------------------

{
    zones_yaml
    printf 'dns:\n  resolvers: [ "%s" ]\n  trust_anchors: [ "%s" ]\n' "$RESOLVER" "$ds"
    domains_yaml
} > "$work/check.yaml"

# wall seconds from GNU time -v ("Elapsed (wall clock) time (h:mm:ss or m:ss): 1:02.34")
wall_seconds() {
    awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i];
        printf "%.2f", s }' "$1"
}
peak_kib() { awk -F': ' '/Maximum resident set size/ { print $2 }' "$1"; }
# user + system CPU seconds of the command and the children it waited for
cpu_seconds() { awk -F': ' '/(User|System) time \(seconds\)/ { s += $2 } END { printf "%.2f", s }' "$1"; }

load_before=$(cut -d' ' -f1 /proc/loadavg)
echo
echo "mxpolicy check, $DOMAINS domains, --parallel $PARALLEL (resolver cache flushed) ..."
flush_resolver
check_rc=0
in_ns /usr/bin/time -v -o "$work/check.time" "$root/bin/mxpolicy" check -c "$work/check.yaml" --format json \
    --parallel "$PARALLEL" --ehlo "bench.$ZONE" > "$work/check.json" 2> "$work/check.err" || check_rc=$?
check_wall=$(wall_seconds "$work/check.time")
check_cpu=$(cpu_seconds "$work/check.time")
check_mib=$(awk -v k="$(peak_kib "$work/check.time")" 'BEGIN { printf "%.0f", k / 1024 }')
if jq -e . "$work/check.json" >/dev/null 2>&1; then
    check_status=$(jq -r .status "$work/check.json")
    check_seconds=$(jq -r .seconds "$work/check.json")
    check_verified=$(jq '[.results[] | select(.id == "dane.verified")] | length' "$work/check.json")
    check_not_ok=$(jq -r '[.results[] | select(.status != "OK") | .id] | group_by(.) | map("\(.[0]) x\(length)") | join(", ")' \
        "$work/check.json")
else
    check_status="no report" check_seconds="-" check_verified=0 check_not_ok=""
    sed 's/^/    | /' "$work/check.err" | tail -20 >&2
fi

# finger P: posttls-finger for every MX host, P at a time; prints "wall cpu verified".
finger() {
    local p=$1 out=$work/finger.$1
    flush_resolver
    for ((i = 1; i <= DOMAINS; i++)); do printf '[%s.%s]\n' "$(name mx "$i")" "$ZONE"; done > "$work/hosts"
    in_ns env MAIL_CONFIG="$work/finger" /usr/bin/time -v -o "$out.time" \
        xargs -P "$p" -n 1 -a "$work/hosts" posttls-finger -c -l dane -L summary > "$out.log" 2>&1 || true
    echo "$(wall_seconds "$out.time") $(cpu_seconds "$out.time") $(verified "$out.log")"
}
verified() { grep -c 'Verified TLS connection established' "$1" || true; }
echo "posttls-finger, one at a time ..."
read -r seq_wall seq_cpu seq_verified < <(finger 1)
echo "posttls-finger, $PARALLEL at a time ..."
read -r par_wall par_cpu par_verified < <(finger "$PARALLEL")

if [[ $HOLD == 1 ]]; then
    echo "lab running until interrupted; for example:"
    echo "  ip netns exec $ns bin/mxpolicy check -c $work/check.yaml --ehlo bench.$ZONE"
    echo "  ip netns exec $ns env MAIL_CONFIG=$work/finger posttls-finger -c -l dane -L summary '[mx0001.$ZONE]'"
    sleep infinity &
    wait $! || true
fi

# ---- report ---------------------------------------------------------------------------------

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
echo
printf '%d domains (each its own MX host, 127.0.0.1:25), zone %s signed by Knot, validated by unbound.\n' \
    "$DOMAINS" "$ZONE"
printf '%s CPU cores; load average %s before the runs, %s after.\n' "$(nproc)" "$load_before" \
    "$(cut -d' ' -f1 /proc/loadavg)"
printf '%-36s %8s %8s %9s %9s  %s\n' run "wall s" "CPU s" "peak MiB" verified status
printf '%-36s %8s %8s %9s %9s  %s\n' "mxpolicy check --parallel $PARALLEL" "$check_wall" "$check_cpu" "$check_mib" \
    "$check_verified" "$check_status (exit $check_rc; ${check_seconds} s in the report)"
printf '%-36s %8s %8s %9s %9s\n' "posttls-finger, one at a time" "$seq_wall" "$seq_cpu" "-" "$seq_verified"
printf '%-36s %8s %8s %9s %9s\n' "posttls-finger, xargs -P $PARALLEL" "$par_wall" "$par_cpu" "-" "$par_verified"
echo
echo "wall time, check / posttls-finger one at a time: $(ratio "$check_wall" "$seq_wall")"
echo "wall time, check / posttls-finger -P $PARALLEL:       $(ratio "$check_wall" "$par_wall")"
awk -v w="$check_wall" 'BEGIN { printf "target, check under 30 s wall: %s\n", (w + 0 < 30 ? "met" : "NOT MET") }'

failures=0
if [[ $check_rc -ne 0 || $check_verified -ne $DOMAINS ]]; then
    echo "check: exit $check_rc, $check_verified of $DOMAINS dane.verified; not OK: ${check_not_ok:-none}"
    [[ -s $work/check.err ]] && sed 's/^/    | /' "$work/check.err" | tail -5
    failures=$((failures + 1))
fi
# finger_failed LABEL P VERIFIED: reports a posttls-finger run that did not verify every host.
finger_failed() {
    echo "posttls-finger $1: $3 of $DOMAINS verified; first other lines:"
    grep -v 'Verified TLS connection established' "$work/finger.$2.log" | head -5 | sed 's/^/    | /'
    failures=$((failures + 1))
}
[[ $seq_verified -eq $DOMAINS ]] || finger_failed "one at a time" 1 "$seq_verified"
[[ $par_verified -eq $DOMAINS ]] || finger_failed "-P $PARALLEL" "$PARALLEL" "$par_verified"
if ((failures > 0)); then
    echo "Summary: not every run verified every MX (see above; KEEP=1 keeps the logs)."
    exit 1
fi
echo "Summary: every run verified DANE for all $DOMAINS MX hosts."
