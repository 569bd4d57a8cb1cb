#!/usr/bin/env bash
# Policy-server benchmark: `mxpolicy serve` against nginx serving the same policy bytes with the
# same certificate and TLS settings, measured with wrk. See bench/README.md.
#
#   bench/serve.sh                      # 20 s per run after a warm-up
#   DURATION=10 bench/serve.sh          # shorter runs
#   JAVA_OPTS="-XX:-UseSerialGC -XX:+UseParallelGC" bench/serve.sh   # JVM flags for mxpolicy serve
#   KEEP=1 bench/serve.sh               # keep the work directory (configs, logs, wrk outputs)
#
# Runs as root: both servers and wrk run in a network namespace of their own, where
# mta-sts.example.com resolves to 127.0.0.1 (wrk sends the URL's host as SNI) without touching the
# machine's /etc/hosts.
set -euo pipefail

DURATION=${DURATION:-20}
WARMUP=${WARMUP:-15}
THREADS=${THREADS:-2}
KEEP=${KEEP:-0}
JAVA_OPTS=${JAVA_OPTS:-}
DOMAIN=example.com
HOST=mta-sts.$DOMAIN
CONFIG=examples/provider.yaml
MXPOLICY_PORT=8443
NGINX_PORT=9443
ADMIN_PORT=8461

cd "$(dirname "$0")/.."
root=$(pwd)

die() { echo "serve.sh: $*" >&2; exit 2; }

[[ $DURATION =~ ^[1-9][0-9]*$ ]] || die "DURATION must be a positive number of seconds, not '$DURATION'"
[[ $WARMUP =~ ^[1-9][0-9]*$ ]] || die "WARMUP must be a positive number of seconds, not '$WARMUP'"
[[ $(id -u) -eq 0 ]] || die "run as root: the servers run in a network namespace (ip netns) where $HOST resolves to 127.0.0.1"

# ---- tools ----------------------------------------------------------------------------------

have() { command -v "$1" >/dev/null 2>&1 || [[ -x /usr/sbin/$1 ]]; }
missing=()
for pair in wrk:wrk nginx:nginx curl:curl openssl:openssl ip:iproute2; do
    have "${pair%%:*}" || missing+=("${pair#*:}")
done
if (( ${#missing[@]} > 0 )); then
    echo "installing ${missing[*]} ..."
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null \
        || die "cannot install ${missing[*]}"
fi
PATH=$PATH:/usr/sbin:/sbin

if [[ ! -f target/mxpolicy.jar ]]; then
    echo "building target/mxpolicy.jar ..."
    ./mvnw -q -B package -DskipTests
fi

# ---- lab: work directory, namespace, policy -------------------------------------------------

work=$(mktemp -d "${TMPDIR:-/tmp}/mxpolicy-bench-serve.XXXXXX")
ns=mxpolicy-bench-$$
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    ip netns delete "$ns" 2>/dev/null || true
    rm -rf "/etc/netns/$ns"
    if [[ $KEEP == 1 ]]; then
        echo "work directory kept: $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

ip netns add "$ns"
mkdir -p "/etc/netns/$ns"
printf '127.0.0.1 localhost %s\n' "$HOST" > "/etc/netns/$ns/hosts"
in_ns() { ip netns exec "$ns" "$@"; }
in_ns ip link set lo up

certs=$root/examples/certs
ca=$certs/ca/root.pem
mkdir -p "$work/www/.well-known"
policy=$work/www/.well-known/mta-sts.txt
bin/mxpolicy policy -c "$CONFIG" -d "$DOMAIN" -o "$policy" 2>/dev/null
# nginx's workers run as an unprivileged user and must read the policy.
chmod -R a+rX "$work"
sed -e "s|@WORK@|$work|g" -e "s|@PORT@|$NGINX_PORT|g" -e "s|@HOST@|$HOST|g" \
    -e "s|@CERT@|$certs/$HOST/fullchain.pem|g" -e "s|@KEY@|$certs/$HOST/privkey.pem|g" \
    bench/nginx-serve.conf.template > "$work/nginx.conf"
in_ns nginx -t -q -c "$work/nginx.conf" || die "nginx rejects $work/nginx.conf"

url() { echo "https://$HOST:$1/.well-known/mta-sts.txt"; }

# await_policy PORT PID: waits (60 s at most) until the server answers with the policy bytes.
await_policy() {
    local port=$1 pid=$2 i
    for i in $(seq 1 300); do
        kill -0 "$pid" 2>/dev/null || return 1
        if in_ns curl -sf --max-time 2 --cacert "$ca" -o "$work/fetched.$port" "$(url "$port")" 2>/dev/null; then
            cmp -s "$policy" "$work/fetched.$port" || die "the server on port $port serves other bytes than $policy"
            return 0
        fi
        sleep 0.2
    done
    return 1
}

# ---- runs -----------------------------------------------------------------------------------

declare -A rps p99 errors
runs=("keepalive-64" "keepalive-256" "handshake-64")
describe() {
    case $1 in
        keepalive-64) echo "keep-alive, 64 connections" ;;
        keepalive-256) echo "keep-alive, 256 connections" ;;
        handshake-64) echo "new TLS handshake per request, 64 conns" ;;
    esac
}

# to_ms VALUE: wrk's latency (850.00us, 3.21ms, 1.02s) in milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.2f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.2f", v }
        else if (v ~ /m$/) { sub(/m$/, "", v); printf "%.2f", v * 60000 }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.2f", v * 1000 }
        else { printf "-" }
    }'
}

# bench SERVER PORT: warm-up, then the three measured runs.
bench() {
    local server=$1 port=$2 run out conns
    local u
    u=$(url "$port")
    echo "  $server: warm-up ${WARMUP}s ..."
    in_ns wrk -t"$THREADS" -c64 -d"${WARMUP}s" "$u" > /dev/null
    in_ns wrk -t"$THREADS" -c64 -d5s -H 'Connection: close' "$u" > /dev/null
    for run in "${runs[@]}"; do
        out=$work/wrk.$server.$run.txt
        conns=${run##*-}
        echo "  $server: $(describe "$run"), ${DURATION}s ..."
        if [[ $run == handshake-* ]]; then
            in_ns wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --latency -H 'Connection: close' "$u" > "$out"
        else
            in_ns wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --latency "$u" > "$out"
        fi
        rps[$server.$run]=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
        p99[$server.$run]=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
        errors[$server.$run]=$(awk '/Socket errors:/ { sub(/^ *Socket errors: */, ""); e = $0 }
            /Non-2xx or 3xx responses:/ { n = $NF } END { s = (e == "" ? "" : e); if (n != "") s = s (s == "" ? "" : "; ") n " non-2xx"; print (s == "" ? "none" : s) }' "$out")
    done
}

echo "nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), $(java -version 2>&1 | head -1), ${THREADS} wrk threads, $(nproc) CPU cores"

# Started with ip netns exec directly (not through in_ns), so that $! is the server's own pid.
ip netns exec "$ns" nginx -c "$work/nginx.conf" &
nginx_pid=$!
pids+=("$nginx_pid")
await_policy "$NGINX_PORT" "$nginx_pid" || die "nginx did not serve the policy; $(tail -5 "$work/nginx-error.log")"
echo "nginx TLS: $(in_ns openssl s_client -connect "127.0.0.1:$NGINX_PORT" -servername "$HOST" -brief </dev/null 2>&1 \
    | awk -F': ' '/Protocol version|Ciphersuite/ { printf "%s ", $2 }')"
bench nginx "$NGINX_PORT"
kill "$nginx_pid"; wait "$nginx_pid" 2>/dev/null || true

ip netns exec "$ns" env JAVA_OPTS="$JAVA_OPTS" bin/mxpolicy serve -c "$CONFIG" --listen "127.0.0.1:$MXPOLICY_PORT" \
    --admin "127.0.0.1:$ADMIN_PORT" 2> "$work/mxpolicy.log" &
mxpolicy_pid=$!
pids+=("$mxpolicy_pid")
await_policy "$MXPOLICY_PORT" "$mxpolicy_pid" || die "mxpolicy serve did not serve the policy; $(tail -20 "$work/mxpolicy.log")"
echo "mxpolicy TLS: $(in_ns openssl s_client -connect "127.0.0.1:$MXPOLICY_PORT" -servername "$HOST" -brief </dev/null 2>&1 \
    | awk -F': ' '/Protocol version|Ciphersuite/ { printf "%s ", $2 }')(JAVA_OPTS: ${JAVA_OPTS:-none})"
bench mxpolicy "$MXPOLICY_PORT"
# The launcher execs the JVM, so the pid is the JVM's; VmHWM is its peak resident set.
peak_kib=$(awk '/^VmHWM:/ { print $2 }' "/proc/$mxpolicy_pid/status")
access_lines=$(grep -c '"GET /.well-known/mta-sts.txt' "$work/mxpolicy.log" || true)
kill "$mxpolicy_pid"; wait "$mxpolicy_pid" 2>/dev/null || true

# ---- report ---------------------------------------------------------------------------------

echo
printf '%-42s %12s %12s %7s %11s %11s  %s\n' run "nginx req/s" "mxpol req/s" ratio "nginx p99" "mxpol p99" \
    "errors (nginx | mxpolicy)"
for run in "${runs[@]}"; do
    n=${rps[nginx.$run]:-0} m=${rps[mxpolicy.$run]:-0}
    ratio=$(awk -v m="$m" -v n="$n" 'BEGIN { printf "%.2f", (n > 0 ? m / n : 0) }')
    printf '%-42s %12s %12s %7s %9s ms %8s ms  %s | %s\n' "$(describe "$run")" "$n" "$m" "$ratio" \
        "${p99[nginx.$run]}" "${p99[mxpolicy.$run]}" "${errors[nginx.$run]}" "${errors[mxpolicy.$run]}"
done
echo "mxpolicy serve: peak RSS $(( peak_kib / 1024 )) MiB; $access_lines access log lines"

echo
echo "Targets:"
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == ">=" ? v >= t : v < t); print (ok ? "met" : "NOT MET") }'; }
for run in "${runs[@]}"; do
    ratio=$(awk -v m="${rps[mxpolicy.$run]:-0}" -v n="${rps[nginx.$run]:-0}" 'BEGIN { printf "%.2f", (n > 0 ? m / n : 0) }')
    echo "  $(describe "$run"): mxpolicy/nginx = $ratio (target >= 0.80): $(verdict "$ratio" 0.8 ">=")"
done
echo "  p99 latency at 256 connections: ${p99[mxpolicy.keepalive-256]} ms (target < 10 ms): $(verdict "${p99[mxpolicy.keepalive-256]}" 10 "<")"
