#!/usr/bin/env bash
# Hosting-provider scale: a config of DOMAINS customer domains on two MX hosts, written the way
# docs/config.md suggests for many domains (mx_hosts, a profile, one included file per customer),
# and the time and peak memory of the commands at that size. See bench/README.md.
#
#   bench/scale.sh                  # 20,000 domains, every section
#   DOMAINS=2000 bench/scale.sh     # fewer
#   ONLY=publish bench/scale.sh     # one section (generate, publish, rollover, check, serve, start),
#   ONLY=generate,serve ...         # or several
#   KEEP=1 bench/scale.sh           # keep the work directory
#   NSUPDATE_ZONES=2000 ...         # the nsupdate loop of the publish section over fewer zones
#   KNOT_JOURNAL=asynchronous ...   # Knot's journal-db-mode (default robust: a sync per update)
#
# Sections:
#   generate  first run, and a re-run with nothing changed, which must write nothing
#   publish   publish --apply to a signing Knot on loopback (RFC 2136, TSIG, waiting until served
#             and validated), against an nsupdate loop sending the same records to a second Knot
#   rollover  rollover status and renew-hook latency
#   check     check of every domain against the same Knot, whole and in two shards merged
#   serve     start to first answer, RSS and reload after one certificate changed, against nginx
#             with the same server blocks and certificates
#   start     the JVM flags of short commands (CDS archive, collector) on generate
# Every figure is printed with the load average of the minute before it.
set -euo pipefail

DOMAINS=${DOMAINS:-20000}
KEEP=${KEEP:-0}
ONLY=${ONLY:-generate,publish,rollover,check,serve,start}
NSUPDATE_ZONES=${NSUPDATE_ZONES:-$DOMAINS}
KNOT_PORT=${KNOT_PORT:-15353}
KNOT_JOURNAL=${KNOT_JOURNAL:-robust}

cd "$(dirname "$0")/.."
root=$(pwd)

die() { echo "scale.sh: $*" >&2; exit 2; }
[[ $DOMAINS =~ ^[1-9][0-9]*$ ]] || die "DOMAINS must be a positive number, not '$DOMAINS'"
[[ $NSUPDATE_ZONES =~ ^[0-9]+$ ]] || die "NSUPDATE_ZONES must be a number, not '$NSUPDATE_ZONES'"
command -v /usr/bin/time >/dev/null || die "needs GNU time (apt-get install time)"
[[ -f target/mxpolicy.jar ]] || ./mvnw -B -q package -DskipTests
want() { [[ ,$ONLY, == *,$1,* ]]; }

work=$(mktemp -d "${TMPDIR:-/tmp}/mxpolicy-scale.XXXXXX")
chmod 755 "$work"
stoppers=()
cleanup() {
    set +e
    for s in "${stoppers[@]}"; do eval "$s" >/dev/null 2>&1; done
    [[ $KEEP == 1 ]] || rm -rf "$work"
}
trap cleanup EXIT
[[ $KEEP == 1 ]] && echo "scale.sh: work directory $work" >&2

# The config: two MX hosts, the 'hosted' profile, one included file per customer. $1 is the
# directory, $2 the settings of every zone (flow YAML), $3 extra top-level YAML (the dns section).
write_config() {
    local dir=$1 zone=$2 extra=${3:-}
    mkdir -p -m 755 "$dir/conf.d"
    cat > "$dir/hosted.yaml" <<YAML
zones:
  example.com: $zone
mx_hosts:
  - host: mx1.example.com
    cert: $root/examples/certs/mx1.example.com/fullchain.pem
    tlsa: { ttl: 600, issuer: true }
  - host: mx2.example.com
    cert: $root/examples/certs/mx2.example.com/fullchain.pem
profiles:
  hosted:
    mx: [mx1.example.com, mx2.example.com]
    mta_sts: { mode: enforce, mx: ["*.example.com"] }
    tls_rpt: { rua: "mailto:tlsrpt@example.com" }
domains:
  - { name: example.com, mx: [mx1.example.com, mx2.example.com] }
include: conf.d/*.yaml
$extra
YAML
    local i
    for ((i = 1; i <= DOMAINS; i++)); do
        printf 'zones: { customer%d.example: %s }\ndomains: [ { name: customer%d.example, profile: hosted } ]\n' \
            "$i" "$zone" "$i" > "$dir/conf.d/customer$i.example.yaml"
    done
}

load() { cut -d' ' -f1 /proc/loadavg; }

# one row: what, wall seconds, CPU seconds (user + system), peak resident MiB, load average
measure() {
    local what=$1; shift
    local before; before=$(load)
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" > "$work/out" 2> "$work/err" || {
        tail -20 "$work/err" >&2; die "$what failed"; }
    read -r wall user sys kib < "$work/time"
    printf '%-40s %8.2f s wall %8.2f s CPU %6d MiB  load %s\n' "$what" "$wall" \
        "$(echo "$user + $sys" | bc)" $((kib / 1024)) "$before"
}

echo "mxpolicy at $DOMAINS hosted domains ($(nproc) cores, $(java -version 2>&1 | head -1))"

# ---- generate -------------------------------------------------------------------------------

if want generate; then
    write_config "$work/gen" "{}"
    measure "generate (stdout)" bin/mxpolicy generate -c "$work/gen/hosted.yaml"
    measure "generate -o (first run)" bin/mxpolicy generate -c "$work/gen/hosted.yaml" -o "$work/gen/zones" --mkdir
    written=$(grep -c ': written$' "$work/err" || true)
    measure "generate -o (nothing changed)" bin/mxpolicy generate -c "$work/gen/hosted.yaml" -o "$work/gen/zones"
    rewritten=$(grep -c ': written$' "$work/err" || true)
    echo "zone files written: $written on the first run, $rewritten on the re-run (must be 0)"
    [[ $rewritten -eq 0 ]] || die "a re-run with nothing changed wrote files"
fi

# ---- Knot: every zone, signed by Knot with one shared key, RFC 2136 with TSIG --------------------

zones() { echo example.com; for ((i = 1; i <= DOMAINS; i++)); do echo "customer$i.example"; done; }
tsig_secret=$(head -c 32 /dev/urandom | base64)

# start_knot DIR PORT [PARENT]: a Knot on 127.0.0.1@PORT serving every zone from a minimal zone
# file (SOA, NS, the two MX records of a customer, the A records of the MX hosts), signing them with
# one shared combined key, taking updates signed with the TSIG key. With PARENT, it serves the
# customers' parent zone 'example.' too, where delegate_customers puts their NS and DS records: one
# trust anchor, as a TLD would be, instead of 20,000.
start_knot() {
    local dir=$1 port=$2 parent=${3:-}
    mkdir -p "$dir/zones"
    local soa='$TTL 3600\n@ SOA ns1.example.com. hostmaster.example.com. 1 3600 600 86400 60\n@ NS ns1.example.com.\n'
    printf "$soa"'ns1 A 127.0.0.1\nmx1 A 127.0.0.1\nmx2 A 127.0.0.1\n' > "$dir/zones/example.com.zone"
    local i
    for ((i = 1; i <= DOMAINS; i++)); do
        printf "$soa"'@ MX 10 mx1.example.com.\n@ MX 20 mx2.example.com.\nmta-sts A 127.0.0.1\n' \
            > "$dir/zones/customer$i.example.zone"
    done
    [[ -z $parent ]] || printf "$soa" > "$dir/zones/example.zone"
    {
        cat <<KNOT
server:
    rundir: "$dir"
    listen: 127.0.0.1@$port
database:
    storage: "$dir"
    journal-db-mode: $KNOT_JOURNAL
log:
  - target: "$dir/knotd.log"
    any: notice
key:
  - id: mxpolicy-update
    algorithm: hmac-sha256
    secret: $tsig_secret
acl:
  - id: update
    key: mxpolicy-update
    action: update
policy:
  - id: shared
    algorithm: ecdsap256sha256
    single-type-signing: on
    ksk-shared: on
template:
  - id: default
    file: "$dir/zones/%s.zone"
    dnssec-signing: on
    dnssec-policy: shared
    acl: update
    journal-content: changes
    zonefile-sync: -1
zone:
KNOT
        zones | sed 's/^/  - domain: /'
        [[ -z $parent ]] || echo "  - domain: example"
    } > "$dir/knot.conf"
    knotc -c "$dir/knot.conf" conf-check >/dev/null || die "knot.conf of $dir is not valid"
    ! ss -Hltn "sport = :$port" | grep -q . || die "port $port is in use (KNOT_PORT=... picks others)"
    knotd -d -c "$dir/knot.conf" || die "knotd did not start ($dir/knotd.log)"
    stoppers+=("knotc -c '$dir/knot.conf' stop")
}

# delegate_customers DIR PORT: the NS and DS record of every customer zone in the parent zone
# 'example.' (DS digest type 2 of the shared key, RFC 4034 section 5.1.4), which Knot then signs.
delegate_customers() {
    local dir=$1 port=$2
    kdig @127.0.0.1 -p "$port" +short example DNSKEY | python3 -c '
import base64, hashlib, struct, sys
flags, proto, alg, key = sys.stdin.read().split(None, 3)
rdata = struct.pack("!HBB", int(flags), int(proto), int(alg)) + base64.b64decode("".join(key.split()))
acc = sum(b << 8 if i % 2 == 0 else b for i, b in enumerate(rdata))
tag = (acc + (acc >> 16)) & 0xFFFF
for i in range(1, int(sys.argv[1]) + 1):
    owner = b"".join(bytes([len(l)]) + l for l in [b"customer%d" % i, b"example", b""])
    print("customer%d NS ns1.example.com.\ncustomer%d DS %d %s 2 %s" % (
        i, i, tag, alg, hashlib.sha256(owner + rdata).hexdigest()))
' "$DOMAINS" > "$dir/delegations"
    sed -i 's/ 1 3600 600 86400 60/ 2 3600 600 86400 60/' "$dir/zones/example.zone"
    cat "$dir/delegations" >> "$dir/zones/example.zone"
    knotc -c "$dir/knot.conf" zone-reload example >/dev/null
    for _ in $(seq 1 300); do
        kdig @127.0.0.1 -p "$port" +short +time=2 +retry=0 "customer$DOMAINS.example" DS 2>/dev/null |
            grep -q ' 13 2 ' && return 0
        sleep 1
    done
    die "the parent zone 'example.' does not serve the customers' DS records"
}

# await_knot PORT: until every zone is served signed (its DNSKEY answers).
await_knot() {
    local port=$1 n total=$((DOMAINS + 1))
    for _ in $(seq 1 600); do
        n=$(zones | xargs -n 500 sh -c 'q=""; for z; do q="$q $z DNSKEY"; done
            kdig @127.0.0.1 -p '"$port"' +short +time=2 +retry=0 $q 2>/dev/null' sh | grep -c ' 3 13 ' || true)
        [[ $n -ge $total ]] && return 0
        sleep 2
    done
    die "Knot on port $port serves $n of $total zones signed after 20 minutes"
}

# ---- publish --------------------------------------------------------------------------------

if want publish; then
    command -v knotd >/dev/null && command -v kdig >/dev/null && command -v nsupdate >/dev/null ||
        die "publish needs knotd, knotc, kdig (knot, knot-dnsutils) and nsupdate (bind9-dnsutils)"
    pub=$work/publish
    mkdir -p "$pub"
    printf 'key "mxpolicy-update" {\n\talgorithm hmac-sha256;\n\tsecret "%s";\n};\n' "$tsig_secret" > "$pub/update.tsig"
    chmod 600 "$pub/update.tsig"
    t0=$(date +%s.%N)
    start_knot "$pub/knot" "$KNOT_PORT" parent
    start_knot "$pub/knot-nsupdate" $((KNOT_PORT + 1))
    await_knot "$KNOT_PORT"
    await_knot $((KNOT_PORT + 1))
    delegate_customers "$pub/knot" "$KNOT_PORT"
    printf 'two Knots serving %d zones each, signed: %.0f s\n' $((DOMAINS + 1)) "$(echo "$(date +%s.%N) - $t0" | bc)"
    dnskey=$(kdig @127.0.0.1 -p "$KNOT_PORT" +short example.com DNSKEY)
    server="127.0.0.1:$KNOT_PORT"
    write_config "$pub" "{ nameservers: [\"$server\"], update: { server: \"$server\", key: $pub/update.tsig } }" \
        "dns: { resolvers: [\"$server\"], trust_anchors: [\"example. IN DNSKEY $dnskey\", \"example.com. IN DNSKEY $dnskey\"] }"
    measure "publish --apply ($((DOMAINS + 1)) zones)" \
        bin/mxpolicy publish -c "$pub/hosted.yaml" --apply --wait 10m
    sent=$(grep -c 'sent to' "$work/err" || true)
    grep -q 'served by every authoritative server and validated' "$work/err" || die "publish did not wait until served"
    echo "zones updated: $sent, served by Knot and validated"
    measure "publish again (nothing to change)" bin/mxpolicy publish -c "$pub/hosted.yaml" --apply --wait 10m

    # The same records through nsupdate, one process per zone as a shell loop would, each
    # change with the same prerequisite (the RRset does not exist yet).
    mkdir -p "$pub/nsupdate"
    bin/mxpolicy generate -c "$pub/hosted.yaml" | awk -v dir="$pub/nsupdate" -v port=$((KNOT_PORT + 1)) '
        /^; Records that mxpolicy owns in zone / { if (f) close(f); zone = $NF; sub(/\.$/, "", zone); f = dir "/" zone
            print "server 127.0.0.1 " port > f; print "zone " zone > f; next }
        /^;/ || NF == 0 { next }
        { print "prereq nxrrset " $1 " " $4 > f; print "update add " $0 > f }' 
    for f in "$pub"/nsupdate/*; do echo send >> "$f"; done
    ls "$pub/nsupdate" | head -n $((NSUPDATE_ZONES + 1)) > "$pub/nsupdate.list"
    n=$(wc -l < "$pub/nsupdate.list")
    measure "nsupdate loop ($n zones)" sh -c 'cd "$1/nsupdate" && while read -r z; do
        nsupdate -k "$1/update.tsig" "$z" || exit 1; done < "$1/nsupdate.list"' sh "$pub"
fi
