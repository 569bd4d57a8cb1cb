#!/usr/bin/env bash
# Policy-server benchmark: `mxpolicy serve` against nginx serving the same policy bytes with the
# same certificate and the same TLS profile (protocols, suites, groups, signature schemes),
# measured with wrk. See bench/README.md.
#
#   bench/serve.sh                      # 20 s per run after a warm-up, TLS profile bsi on both
#   DURATION=10 bench/serve.sh          # shorter runs
#   HANDSHAKE_WARMUP=5 bench/serve.sh   # shorter warm-up with handshakes (default 45 s)
#   PROFILE=modern bench/serve.sh       # `mxpolicy serve --tls-profile modern`, nginx likewise
#   JAVA_OPTS="-XX:-UseSerialGC -XX:+UseParallelGC" bench/serve.sh   # JVM flags for mxpolicy serve
#   KEEP=1 bench/serve.sh               # keep the work directory (configs, logs, wrk outputs)
#   FULL_THREADS=4 bench/serve.sh       # client threads of the full-handshake run (default 8)
#
# Runs as root: both servers and wrk run in a network namespace of their own, where
# mta-sts.example.com resolves to 127.0.0.1 (wrk sends the URL's host as SNI) without touching the
# machine's /etc/hosts.
set -euo pipefail

DURATION=${DURATION:-20}
WARMUP=${WARMUP:-15}
HANDSHAKE_WARMUP=${HANDSHAKE_WARMUP:-45}
THREADS=${THREADS:-2}
FULL_THREADS=${FULL_THREADS:-8}
KEEP=${KEEP:-0}
JAVA_OPTS=${JAVA_OPTS:-}
PROFILE=${PROFILE:-bsi}
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
[[ $HANDSHAKE_WARMUP =~ ^[1-9][0-9]*$ ]] || die "HANDSHAKE_WARMUP must be a positive number of seconds, not '$HANDSHAKE_WARMUP'"
[[ $FULL_THREADS =~ ^[1-9][0-9]*$ ]] || die "FULL_THREADS must be a positive number, not '$FULL_THREADS'"
# nginx (OpenSSL) configured to what `mxpolicy serve --tls-profile PROFILE` offers (docs/serve.md):
# TLS 1.2 suites, TLS 1.3 suites, groups, signature schemes, in the same order.
sigalgs=ecdsa_secp256r1_sha256:ecdsa_secp384r1_sha384:rsa_pss_rsae_sha256:rsa_pss_rsae_sha384:rsa_pss_rsae_sha512
sigalgs=$sigalgs:rsa_pss_pss_sha256:rsa_pss_pss_sha384:rsa_pss_pss_sha512:rsa_pkcs1_sha256:rsa_pkcs1_sha384:rsa_pkcs1_sha512
case $PROFILE in
    bsi)
        ciphers=ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256
        suites13=TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256
        curves=prime256v1:secp384r1 ;;
    modern)
        ciphers=ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305
        ciphers=$ciphers:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305
        suites13=TLS_AES_256_GCM_SHA384:TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256
        curves=X25519:prime256v1:secp384r1 ;;
    *) die "PROFILE must be bsi or modern, not '$PROFILE'" ;;
esac
[[ $(id -u) -eq 0 ]] || die "run as root: the servers run in a network namespace (ip netns) where $HOST resolves to 127.0.0.1"

# ---- tools ----------------------------------------------------------------------------------

have() { command -v "$1" >/dev/null 2>&1 || [[ -x /usr/sbin/$1 ]]; }
missing=()
for pair in wrk:wrk nginx:nginx curl:curl openssl:openssl ip:iproute2 python3:python3; do
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
    -e "s|@CIPHERS@|$ciphers|g" -e "s|@SUITES13@|$suites13|g" -e "s|@CURVES@|$curves|g" -e "s|@SIGALGS@|$sigalgs|g" \
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

declare -A rps p99 errors cpu_us sys_us
# Keep-alive, a resumed handshake per request (wrk), and full handshakes, which wrk does not make.
runs=("keepalive-64" "keepalive-256" "handshake-64" "full-$FULL_THREADS")
describe() {
    case $1 in
        keepalive-64) echo "keep-alive, 64 connections" ;;
        keepalive-256) echo "keep-alive, 256 connections" ;;
        handshake-64) echo "new TLS handshake per request, 64 conns" ;;
        full-*) echo "full handshake (nothing to resume), ${1#full-} conns" ;;
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

# warm_up SERVER PORT: keep-alive for WARMUP s, then HANDSHAKE_WARMUP s with a handshake per
# request: the JIT goes on compiling the handshake's code paths for about 45 s of handshakes (C2's
# CPU time, 2 cores: 4.5 s in the first 15 s of handshakes, 2.8 s in the next 15, 0.2 s after).
warm_up() {
    local u
    u=$(url "$2")
    echo "  $1: warm-up ${WARMUP}s keep-alive, ${HANDSHAKE_WARMUP}s new handshakes ..."
    in_ns wrk -t"$THREADS" -c64 -d"${WARMUP}s" "$u" > /dev/null
    in_ns wrk -t"$THREADS" -c64 -d"${HANDSHAKE_WARMUP}s" -H 'Connection: close' "$u" > /dev/null
}

# cpu_ticks PID [FIELDS]: CPU time in clock ticks of the process and its children (nginx's
# workers; a JVM's threads are counted in its process): user + system, or only system with
# FIELDS=system.
cpu_ticks() {
    local pid total=0 ticks fields='$12 + $13'
    [[ ${2:-} == system ]] && fields='$13'
    for pid in "$1" $(pgrep -P "$1" || true); do
        ticks=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk "{ print $fields }") || ticks=0
        total=$((total + ${ticks:-0}))
    done
    echo "$total"
}
clock_ticks=$(getconf CLK_TCK)

# measure SERVER PORT RUN: one measured run.
measure() {
    local server=$1 u run=$3 out conns before before_sys requests
    u=$(url "$2")
    before=$(cpu_ticks "${pid_of[$server]}")
    before_sys=$(cpu_ticks "${pid_of[$server]}" system)
    out=$work/wrk.$server.$run.txt
    conns=${run##*-}
    echo "  $server: $(describe "$run"), ${DURATION}s ..."
    if [[ $run == full-* ]]; then
        # One line, "full-handshakes ANSWERED SECONDS FAILED OTHER_STATUS", in wrk's words. A
        # client that fails leaves zeros in the report, not no report.
        { in_ns python3 bench/full_handshakes.py "$HOST" "$2" /.well-known/mta-sts.txt "$ca" "$conns" "$DURATION" \
            2> "$out.stderr" || true; } \
            | awk '/^full-handshakes/ { printf "  %d requests in %ss\nRequests/sec: %.2f\n", $2, $3, ($3 > 0 ? $2 / $3 : 0);
                     if ($4 > 0) printf "Socket errors: %d failed connections\n", $4;
                     if ($5 > 0) printf "Non-2xx or 3xx responses: %d\n", $5 }' > "$out"
    elif [[ $run == handshake-* ]]; then
        in_ns wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --latency -H 'Connection: close' "$u" > "$out"
    else
        in_ns wrk -t"$THREADS" -c"$conns" -d"${DURATION}s" --latency "$u" > "$out"
    fi
    rps[$server.$run]=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
    # CPU time per request: how much of the machine the server needs, which other load on the
    # machine changes much less than the request rate.
    requests=$(awk '/requests in/ { print $1 }' "$out")
    cpu_us[$server.$run]=$(awk -v t="$(( $(cpu_ticks "${pid_of[$server]}") - before ))" -v hz="$clock_ticks" -v n="$requests" \
        'BEGIN { printf "%.0f", (n > 0 ? t * 1e6 / hz / n : 0) }')
    # The kernel's part (TCP, the log file): about the same work for every server.
    sys_us[$server.$run]=$(awk -v t="$(( $(cpu_ticks "${pid_of[$server]}" system) - before_sys ))" -v hz="$clock_ticks" -v n="$requests" \
        'BEGIN { printf "%.0f", (n > 0 ? t * 1e6 / hz / n : 0) }')
    p99[$server.$run]=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
    errors[$server.$run]=$(awk '/Socket errors:/ { sub(/^ *Socket errors: */, ""); e = $0 }
        /Non-2xx or 3xx responses:/ { n = $NF } END { s = (e == "" ? "" : e); if (n != "") s = s (s == "" ? "" : "; ") n " non-2xx"; print (s == "" ? "none" : s) }' "$out")
}

echo "nginx $(nginx -v 2>&1 | sed 's/.*nginx\///'), $("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1), ${THREADS} wrk threads, $(nproc) CPU cores"

# tls_of PORT: the negotiated protocol, suite and group.
tls_of() {
    in_ns openssl s_client -connect "127.0.0.1:$1" -servername "$HOST" -brief </dev/null 2>&1 \
        | awk -F': ' '/Protocol version|Ciphersuite|Negotiated TLS1.3 group|Server Temp Key/ { printf "%s ", $2 }'
}

# All servers run at once, idle but for the one measured: each kind of run is measured for every
# server back to back, so that other load on the machine, which changes over minutes, weighs
# about the same on all of them.
declare -A port_of pid_of
servers=(nginx)
# Started with ip netns exec directly (not through in_ns), so that $! is the server's own pid.
ip netns exec "$ns" nginx -c "$work/nginx.conf" &
pid_of[nginx]=$!
port_of[nginx]=$NGINX_PORT
pids+=("${pid_of[nginx]}")
await_policy "$NGINX_PORT" "${pid_of[nginx]}" || die "nginx did not serve the policy; $(tail -5 "$work/nginx-error.log")"
echo "nginx TLS: $(tls_of "$NGINX_PORT")"
server=mxpolicy-$PROFILE
ip netns exec "$ns" env JAVA_OPTS="$JAVA_OPTS" bin/mxpolicy serve -c "$CONFIG" --listen "127.0.0.1:$MXPOLICY_PORT" \
    --admin "127.0.0.1:$ADMIN_PORT" --tls-profile "$PROFILE" 2> "$work/$server.log" &
pid_of[$server]=$!
port_of[$server]=$MXPOLICY_PORT
pids+=("${pid_of[$server]}")
servers+=("$server")
await_policy "$MXPOLICY_PORT" "${pid_of[$server]}" || die "mxpolicy serve did not serve the policy; $(tail -20 "$work/$server.log")"
echo "$server TLS: $(tls_of "$MXPOLICY_PORT")(JAVA_OPTS: ${JAVA_OPTS:-none})"

for server in "${servers[@]}"; do
    warm_up "$server" "${port_of[$server]}"
done
for run in "${runs[@]}"; do
    for server in "${servers[@]}"; do
        measure "$server" "${port_of[$server]}" "$run"
    done
done

# The launcher execs the JVM, so the pid is the JVM's; VmHWM is its peak resident set.
peak_mib=$(( $(awk '/^VmHWM:/ { print $2 }' "/proc/${pid_of[$server]}/status") / 1024 ))
access_lines=$(grep -c '"GET /.well-known/mta-sts.txt' "$work/$server.log" || true)

# ---- report ---------------------------------------------------------------------------------

ratio() { awk -v m="${rps[$1.$2]:-0}" -v n="${rps[nginx.$2]:-0}" 'BEGIN { printf "%.2f", (n > 0 ? m / n : 0) }'; }

echo
printf '%-42s %-18s %9s %7s %11s %13s  %s\n' run server "req/s" ratio "p99" "CPU us/req" errors
for run in "${runs[@]}"; do
    printf '%-42s %-18s %9s %7s %8s ms %13s  %s\n' "$(describe "$run")" nginx "${rps[nginx.$run]:-0}" "" \
        "${p99[nginx.$run]}" "${cpu_us[nginx.$run]}" "${errors[nginx.$run]}"
    printf '%-42s %-18s %9s %7s %8s ms %13s  %s\n' "" "$server" "${rps[$server.$run]:-0}" "$(ratio "$server" "$run")" \
        "${p99[$server.$run]}" "${cpu_us[$server.$run]}" "${errors[$server.$run]}"
done
echo
echo "CPU time of a new connection and the kernel's part:"
for kind in handshake-64 "full-$FULL_THREADS"; do
    echo "  $(describe "$kind"):"
    for name in nginx "$server"; do
        printf '    %-20s %5s us, system %4s us\n' "$name" "${cpu_us[$name.$kind]}" "${sys_us[$name.$kind]}"
    done
done
echo "$server: peak RSS $peak_mib MiB; $access_lines access log lines"
