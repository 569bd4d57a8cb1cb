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
    mta_sts: { mode: enforce, mx: ["*.example.com"]${POLICY_CERTS:-} }
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
    local status=0
    /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" > "$work/out" 2> "$work/err" || status=$?
    if [[ $status -ne 0 && ${ALLOW_FAIL:-0} != 1 ]]; then tail -20 "$work/err" >&2; die "$what failed"; fi
    # the last line: GNU time puts "Command exited with non-zero status N" before it
    read -r wall user sys kib < <(tail -n 1 "$work/time")
    [[ $status -eq 0 ]] || what="$what (exit $status)"
    printf '%-44s %8.2f s wall %8.2f s CPU %6d MiB  load %s\n' "$what" "$wall" \
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

# ---- the lab: one Knot with every zone, and the config that publishes to it ------------------

lab=$work/lab
lab_ready=0
# lab_up: starts it once; the config then publishes to the Knot by RFC 2136, waits for it, and
# validates through it from the parent zone's key. Rollover state goes to $lab/state.
lab_up() {
    [[ $lab_ready == 1 ]] && return 0
    command -v knotd >/dev/null && command -v kdig >/dev/null && command -v nsupdate >/dev/null ||
        die "needs knotd, knotc, kdig (knot, knot-dnsutils) and nsupdate (bind9-dnsutils)"
    mkdir -p "$lab"
    mkdir -m 700 "$lab/state"
    printf 'key "mxpolicy-update" {\n\talgorithm hmac-sha256;\n\tsecret "%s";\n};\n' "$tsig_secret" > "$lab/update.tsig"
    chmod 600 "$lab/update.tsig"
    local t0; t0=$(date +%s.%N)
    start_knot "$lab/knot" "$KNOT_PORT" parent
    await_knot "$KNOT_PORT"
    delegate_customers "$lab/knot" "$KNOT_PORT"
    printf 'Knot serving %d zones and their parent, signed: %.0f s\n' $((DOMAINS + 1)) \
        "$(echo "$(date +%s.%N) - $t0" | bc)"
    local dnskey server="127.0.0.1:$KNOT_PORT"
    dnskey=$(kdig @127.0.0.1 -p "$KNOT_PORT" +short example.com DNSKEY)
    write_config "$lab" "{ nameservers: [\"$server\"], update: { server: \"$server\", key: $lab/update.tsig } }" \
        "dns: { resolvers: [\"$server\"], trust_anchors: [\"example. IN DNSKEY $dnskey\", \"example.com. IN DNSKEY $dnskey\"] }
rollover: { state_dir: $lab/state, mta_reload: \"true\" }"
    lab_ready=1
}

# ---- publish --------------------------------------------------------------------------------

if want publish; then
    # the nsupdate loop's own Knot, started together with the lab's
    start_knot "$work/knot-nsupdate" $((KNOT_PORT + 1))
    lab_up
    await_knot $((KNOT_PORT + 1))
    measure "publish --apply ($((DOMAINS + 1)) zones)" bin/mxpolicy publish -c "$lab/hosted.yaml" --apply --wait 10m
    sent=$(grep -c 'sent to' "$work/err" || true)
    grep -q 'served by every authoritative server and validated' "$work/err" || die "publish did not wait until served"
    echo "zones updated: $sent, served by Knot and validated"
    measure "publish again (nothing to change)" bin/mxpolicy publish -c "$lab/hosted.yaml" --apply --wait 10m

    # The same records through nsupdate, one process per zone as a shell loop would, each
    # change with the same prerequisite (the RRset does not exist yet).
    mkdir -p "$work/nsupdate"
    bin/mxpolicy generate -c "$lab/hosted.yaml" | awk -v dir="$work/nsupdate" -v port=$((KNOT_PORT + 1)) '
        /^; Records that mxpolicy owns in zone / { if (f) close(f); zone = $NF; sub(/\.$/, "", zone); f = dir "/" zone
            print "server 127.0.0.1 " port > f; print "zone " zone > f; next }
        /^;/ || NF == 0 { next }
        { print "prereq nxrrset " $1 " " $4 > f; print "update add " $0 > f }'
    for f in "$work"/nsupdate/*; do echo send >> "$f"; done
    # (head of a file, not of a pipe: pipefail would count ls's broken pipe as a failure)
    ls "$work/nsupdate" > "$work/nsupdate.all"
    head -n $((NSUPDATE_ZONES + 1)) "$work/nsupdate.all" > "$work/nsupdate.list"
    n=$(wc -l < "$work/nsupdate.list")
    measure "nsupdate loop ($n zones)" sh -c 'cd "$1/nsupdate" && while read -r z; do
        nsupdate -k "$2" "$z" || exit 1; done < "$1/nsupdate.list"' sh "$work" "$lab/update.tsig"
    knotc -c "$work/knot-nsupdate/knot.conf" stop >/dev/null
fi

# ---- rollover -------------------------------------------------------------------------------

if want rollover; then
    lab_up
    measure "rollover status (no state yet)" bin/mxpolicy rollover status -c "$lab/hosted.yaml"
    measure "rollover prepare --mx mx1 (publishes)" \
        bin/mxpolicy rollover prepare -c "$lab/hosted.yaml" --mx mx1.example.com --wait 5m
    measure "rollover status (a next key aging)" bin/mxpolicy rollover status -c "$lab/hosted.yaml"
    grep -q 'mx1.example.com: NEXT_AGING' "$work/out" || { cat "$work/out" >&2; die "mx1 is not NEXT_AGING"; }
    measure "renew-hook --mx mx2 (same key)" \
        bin/mxpolicy renew-hook -c "$lab/hosted.yaml" --mx mx2.example.com --wait 5m
fi

# ---- check ----------------------------------------------------------------------------------

if want check; then
    lab_up
    want publish || bin/mxpolicy publish -c "$lab/hosted.yaml" --apply --wait 10m > /dev/null 2>&1 ||
        die "publishing the records for check failed"
    # No SMTP or HTTPS server runs in this lab: the MX hosts' and policy hosts' addresses refuse
    # connections, so check does all its DNS and DNSSEC work and reports those probes as failed.
    ALLOW_FAIL=1 measure "check ($DOMAINS domains)" \
        bin/mxpolicy check -c "$lab/hosted.yaml" --format json -o "$work/check.json" --timeout 5s
    ALLOW_FAIL=1 measure "check --shard 1/2" \
        bin/mxpolicy check -c "$lab/hosted.yaml" --shard 1/2 --format json -o "$work/check-1.json" --timeout 5s
    ALLOW_FAIL=1 measure "check --shard 2/2" \
        bin/mxpolicy check -c "$lab/hosted.yaml" --shard 2/2 --format json -o "$work/check-2.json" --timeout 5s
    ALLOW_FAIL=1 measure "check --merge of the two" \
        bin/mxpolicy check -c "$lab/hosted.yaml" --merge "$work/check-1.json" "$work/check-2.json" \
        --format json -o "$work/check-merged.json"
    if command -v jq >/dev/null; then
        for f in check check-merged; do
            echo "$f.json: $(jq -r '[.results[]? | .status] | group_by(.) | map("\(.[0]) \(length)") | join(", ")' \
                "$work/$f.json" 2>/dev/null || echo '?')"
        done
    fi
fi

# ---- serve, against nginx -------------------------------------------------------------------

# first_answer URL_HOST PORT PID: seconds from the start time $t0 until the policy is answered.
first_answer() {
    local host=$1 port=$2
    for _ in $(seq 1 1200); do
        if curl -sf --max-time 2 --cacert "$root/examples/certs/ca/root.pem" --resolve "$host:$port:127.0.0.1" \
            "https://$host:$port/.well-known/mta-sts.txt" -o /dev/null 2>/dev/null; then
            echo "$(date +%s.%N) - $t0" | bc
            return 0
        fi
        sleep 0.05
    done
    die "no answer from $host:$port after 60 s"
}
# served_serial HOST PORT: the serial number of the certificate served for HOST
served_serial() {
    openssl s_client -connect "127.0.0.1:$2" -servername "$1" < /dev/null 2>/dev/null |
        openssl x509 -noout -serial 2>/dev/null
}
# await_serial HOST PORT OLD: seconds from $t0 until HOST's certificate is another than OLD
await_serial() {
    for _ in $(seq 1 1200); do
        s=$(served_serial "$1" "$2")
        if [[ -n $s && $s != "$3" ]]; then echo "$(date +%s.%N) - $t0" | bc; return 0; fi
        sleep 0.05
    done
    die "$1 still has its old certificate after 60 s"
}
# pss PID...: proportional set size of the processes in MiB (shared pages counted once)
pss() { local kib=0 p
    for p in "$@"; do kib=$((kib + $(awk '/^Pss:/ { print $2 }' "/proc/$p/smaps_rollup"))); done
    echo $((kib / 1024)); }
rss() { local kib=0 p
    for p in "$@"; do kib=$((kib + $(awk '/^VmRSS:/ { print $2 }' "/proc/$p/status"))); done
    echo $((kib / 1024)); }

if want serve; then
    command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || die "serve needs nginx"
    PATH=$PATH:/usr/sbin
    srv=$work/serve
    mkdir -p "$srv/certs"
    t0=$(date +%s.%N)
    zones | tail -n +2 | python3 bench/scale-certs.py "$srv/certs" "$root/examples/certs/ca" ||
        die "bench/scale-certs.py failed (needs python3-cryptography)"
    printf '%d policy-host certificates issued: %.0f s\n' "$DOMAINS" "$(echo "$(date +%s.%N) - $t0" | bc)"
    POLICY_CERTS=", cert: \"$srv/certs/mta-sts.{domain}/fullchain.pem\", key: \"$srv/certs/mta-sts.{domain}/privkey.pem\"" \
        write_config "$srv" "{}"
    host=mta-sts.customer$DOMAINS.example
    changed=customer1.example

    # mxpolicy serve
    load_before=$(load)
    t0=$(date +%s.%N)
    bin/mxpolicy serve -c "$srv/hosted.yaml" --listen 127.0.0.1:18443 --admin 127.0.0.1:18461 \
        > "$srv/serve.out" 2> "$srv/serve.err" &
    serve_pid=$!
    stoppers+=("kill $serve_pid")
    first=$(first_answer "$host" 18443)
    java_pid=$(pgrep -P "$serve_pid" java || echo "$serve_pid")
    printf '%-40s %8.2f s to the first answer  %5d MiB RSS  %5d MiB PSS  load %s\n' "mxpolicy serve" "$first" \
        "$(rss "$java_pid")" "$(pss "$java_pid")" "$load_before"
    sleep 5
    printf '%-40s %5d MiB RSS after 5 s, CPU %s s\n' "" "$(rss "$java_pid")" \
        "$(awk '{ printf "%.1f", ($14 + $15) / 100 }' "/proc/$java_pid/stat")"
    old=$(served_serial "mta-sts.$changed" 18443)
    echo "$changed" | python3 bench/scale-certs.py "$srv/certs" "$root/examples/certs/ca"
    load_before=$(load)
    t0=$(date +%s.%N)
    kill -HUP "$java_pid"
    printf '%-40s %8.2f s from SIGHUP to the new certificate served  load %s\n' "mxpolicy serve reload" \
        "$(await_serial "mta-sts.$changed" 18443 "$old")" "$load_before"
    kill "$java_pid"; wait "$serve_pid" 2>/dev/null || true

    # nginx with the same server blocks and certificates, the same policy bytes
    {
        cat <<NGINX
worker_processes auto;
pid $srv/nginx.pid;
error_log $srv/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    server_names_hash_max_size 65536;
    server_names_hash_bucket_size 128;
    ssl_protocols TLSv1.2 TLSv1.3;
NGINX
        for ((i = 1; i <= DOMAINS; i++)); do
            d=customer$i.example
            printf '    server {\n        listen 127.0.0.1:19443 ssl;\n        server_name mta-sts.%s;\n' "$d"
            printf '        ssl_certificate %s/certs/mta-sts.%s/fullchain.pem;\n' "$srv" "$d"
            printf '        ssl_certificate_key %s/certs/mta-sts.%s/privkey.pem;\n' "$srv" "$d"
            printf '        location = /.well-known/mta-sts.txt { root %s/www; default_type text/plain; }\n    }\n' "$srv"
        done
        echo "}"
    } > "$srv/nginx.conf"
    mkdir -p "$srv/www/.well-known"
    bin/mxpolicy policy -c "$srv/hosted.yaml" -d customer1.example -o "$srv/www/.well-known/mta-sts.txt" ||
        die "mxpolicy policy failed"
    load_before=$(load)
    t0=$(date +%s.%N)
    nginx -c "$srv/nginx.conf" -g 'daemon on;' 2> "$srv/nginx.err" || { cat "$srv/nginx.err" >&2; die "nginx failed"; }
    stoppers+=("kill \$(cat '$srv/nginx.pid')")
    first=$(first_answer "$host" 19443)
    pids=$(pgrep -d ' ' -f "nginx -c $srv/nginx.conf"; pgrep -d ' ' -P "$(cat "$srv/nginx.pid")")
    printf '%-40s %8.2f s to the first answer  %5d MiB RSS  %5d MiB PSS  load %s\n' "nginx ($(echo $pids | wc -w) processes)" \
        "$first" "$(rss $pids)" "$(pss $pids)" "$load_before"
    old=$(served_serial "mta-sts.$changed" 19443)
    echo "$changed" | python3 bench/scale-certs.py "$srv/certs" "$root/examples/certs/ca"
    load_before=$(load)
    t0=$(date +%s.%N)
    nginx -c "$srv/nginx.conf" -s reload
    printf '%-40s %8.2f s from reload to the new certificate served  load %s\n' "nginx reload" \
        "$(await_serial "mta-sts.$changed" 19443 "$old")" "$load_before"
    kill "$(cat "$srv/nginx.pid")"
fi

# ---- start: the launcher's JVM flags for short commands ---------------------------------------

if want start; then
    [[ -f $work/gen/hosted.yaml ]] || write_config "$work/gen" "{}"
    # the first run with the archive on writes it (bin/mxpolicy); the runs below use it
    bin/mxpolicy generate -c examples/provider.yaml > /dev/null
    bin/mxpolicy generate -c "$work/gen/hosted.yaml" > /dev/null
    for config in examples/provider.yaml "$work/gen/hosted.yaml"; do
        name=example; [[ $config == examples/* ]] || name="$DOMAINS domains"
        for run in 1 2; do
            measure "generate, $name, CDS off ($run)" env MXPOLICY_CDS=off bin/mxpolicy generate -c "$config"
            measure "generate, $name, CDS on ($run)" env MXPOLICY_CDS=on bin/mxpolicy generate -c "$config"
        done
        for gc in G1 Parallel; do
            measure "generate, $name, ${gc}GC instead of serial" \
                env JAVA_OPTS="-XX:-UseSerialGC -XX:+Use${gc}GC" bin/mxpolicy generate -c "$config"
        done
    done
fi
