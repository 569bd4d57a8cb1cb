#!/usr/bin/env bash
# Policy-server benchmark: `mxpolicy serve` against nginx serving the same policy bytes with the
# same certificate and TLS settings, measured with wrk. See bench/README.md.
#
#   bench/serve.sh                      # 20 s per run after a warm-up, both TLS engines
#   DURATION=10 bench/serve.sh          # shorter runs
#   HANDSHAKE_WARMUP=5 bench/serve.sh   # shorter warm-up with handshakes (default 45 s)
#   ENGINES=conscrypt bench/serve.sh    # only `mxpolicy serve --tls-engine conscrypt`
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
ENGINES=${ENGINES:-jsse conscrypt}
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
read -r -a engines <<< "$ENGINES"
(( ${#engines[@]} > 0 )) || die "ENGINES must name at least one TLS engine (jsse, conscrypt)"
for engine in "${engines[@]}"; do
    [[ $engine == jsse || $engine == conscrypt ]] || die "ENGINES: '$engine' is neither jsse nor conscrypt"
done
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
# Three runs with targets (bench/README.md), then one without: full handshakes, which wrk does not make.
targeted_runs=("keepalive-64" "keepalive-256" "handshake-64")
runs=("${targeted_runs[@]}" "full-$FULL_THREADS")
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

# tls_of PORT: the negotiated protocol and suite.
tls_of() {
    in_ns openssl s_client -connect "127.0.0.1:$1" -servername "$HOST" -brief </dev/null 2>&1 \
        | awk -F': ' '/Protocol version|Ciphersuite/ { printf "%s ", $2 }'
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
i=0
for engine in "${engines[@]}"; do
    server=mxpolicy-$engine
    port=$((MXPOLICY_PORT + i)) admin=$((ADMIN_PORT + i))
    i=$((i + 1))
    ip netns exec "$ns" env JAVA_OPTS="$JAVA_OPTS" bin/mxpolicy serve -c "$CONFIG" --listen "127.0.0.1:$port" \
        --admin "127.0.0.1:$admin" --tls-engine "$engine" 2> "$work/$server.log" &
    pid_of[$server]=$!
    port_of[$server]=$port
    pids+=("${pid_of[$server]}")
    servers+=("$server")
    await_policy "$port" "${pid_of[$server]}" || die "mxpolicy serve did not serve the policy; $(tail -20 "$work/$server.log")"
    echo "$server TLS: $(tls_of "$port")($(sed -n 's/^mxpolicy: TLS engine: //p' "$work/$server.log"); JAVA_OPTS: ${JAVA_OPTS:-none})"
done

for server in "${servers[@]}"; do
    warm_up "$server" "${port_of[$server]}"
done
for run in "${runs[@]}"; do
    for server in "${servers[@]}"; do
        measure "$server" "${port_of[$server]}" "$run"
    done
done

declare -A peak_mib access_lines
for engine in "${engines[@]}"; do
    server=mxpolicy-$engine
    # The launcher execs the JVM, so the pid is the JVM's; VmHWM is its peak resident set.
    peak_mib[$server]=$(( $(awk '/^VmHWM:/ { print $2 }' "/proc/${pid_of[$server]}/status") / 1024 ))
    access_lines[$server]=$(grep -c '"GET /.well-known/mta-sts.txt' "$work/$server.log" || true)
done

# The server side of a connection done by the TLS engine alone, in memory (no network, Jetty or
# HTTP): what is left of mxpolicy's CPU time per connection without it is Jetty, HTTP, the log and
# the kernel. The servers are idle by now.
declare -A floor_us
for engine in "${engines[@]}"; do
    for mode in resumed full; do
        echo "  TLS engine alone ($engine, $mode): bench/TlsHandshakeFloor.java ..."
        # A failure here leaves "-" in the report (and the reason in the work directory), not no report.
        floor_us[$engine.$mode]=$("${JAVA_HOME:+$JAVA_HOME/bin/}java" -XX:+UseSerialGC -cp target/mxpolicy.jar \
            bench/TlsHandshakeFloor.java "$engine" "$mode" 2>"$work/floor.$engine.$mode.log" | awk '/^floor/ { print $4 }' || true)
    done
done

# ---- report ---------------------------------------------------------------------------------

ratio() { awk -v m="${rps[$1.$2]:-0}" -v n="${rps[nginx.$2]:-0}" 'BEGIN { printf "%.2f", (n > 0 ? m / n : 0) }'; }
verdict() { awk -v v="$1" -v t="$2" -v op="$3" 'BEGIN { ok = (op == ">=" ? v >= t : v < t); print (ok ? "met" : "NOT MET") }'; }

echo
printf '%-42s %-18s %9s %7s %11s %13s  %s\n' run server "req/s" ratio "p99" "CPU us/req" errors
for run in "${runs[@]}"; do
    printf '%-42s %-18s %9s %7s %8s ms %13s  %s\n' "$(describe "$run")" nginx "${rps[nginx.$run]:-0}" "" \
        "${p99[nginx.$run]}" "${cpu_us[nginx.$run]}" "${errors[nginx.$run]}"
    for engine in "${engines[@]}"; do
        server=mxpolicy-$engine
        printf '%-42s %-18s %9s %7s %8s ms %13s  %s\n' "" "$server" "${rps[$server.$run]:-0}" "$(ratio "$server" "$run")" \
            "${p99[$server.$run]}" "${cpu_us[$server.$run]}" "${errors[$server.$run]}"
    done
done
echo
full=full-$FULL_THREADS
echo "CPU time of a new connection, the kernel's part, and the TLS engine's alone (in memory):"
for kind in handshake-64 "$full"; do
    [[ $kind == full-* ]] && mode=full || mode=resumed
    echo "  $(describe "$kind"):"
    printf '    %-20s %5s us, system %4s us\n' nginx "${cpu_us[nginx.$kind]}" "${sys_us[nginx.$kind]}"
    for engine in "${engines[@]}"; do
        server=mxpolicy-$engine
        printf '    %-20s %5s us, system %4s us; the TLS engine alone %s us (%s TLS 1.3)\n' "$server" \
            "${cpu_us[$server.$kind]}" "${sys_us[$server.$kind]}" "${floor_us[$engine.$mode]:--}" "$mode"
    done
done
for engine in "${engines[@]}"; do
    echo "mxpolicy-$engine: peak RSS ${peak_mib[mxpolicy-$engine]} MiB; ${access_lines[mxpolicy-$engine]} access log lines"
done

for engine in "${engines[@]}"; do
    server=mxpolicy-$engine
    echo
    echo "Targets, $server:"
    for run in "${targeted_runs[@]}"; do
        r=$(ratio "$server" "$run")
        echo "  $(describe "$run"): mxpolicy/nginx = $r (target >= 0.80): $(verdict "$r" 0.8 ">=")"
    done
    echo "  p99 latency at 256 connections: ${p99[$server.keepalive-256]} ms (target < 10 ms): $(verdict "${p99[$server.keepalive-256]}" 10 "<")"
done
