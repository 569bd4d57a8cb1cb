#!/usr/bin/env bash
# The status overview of DOMAINS hosted domains on serve's admin listener, warm: time to first
# byte and to the full page of several views (worst first, a late page, sorted by name, filtered,
# 1000 rows), the memory the server grows by, and as the floor, jq rendering the same check JSON
# into a table. See bench/README.md.
#
#   bench/status.sh                 # 20,000 domains, 30 warm requests per view
#   DOMAINS=2000 bench/status.sh    # fewer
#   RUNS=100 bench/status.sh        # more requests per view
#   KEEP=1 bench/status.sh          # keep the work directory
#   JAVA_OPTS=-Xmn32m bench/status.sh   # JVM options of serve (bin/mxpolicy passes JAVA_OPTS)
set -euo pipefail

DOMAINS=${DOMAINS:-20000}
RUNS=${RUNS:-30}
KEEP=${KEEP:-0}
PORT=${PORT:-18561}

cd "$(dirname "$0")/.."
die() { echo "status.sh: $*" >&2; exit 2; }
[[ $DOMAINS =~ ^[1-9][0-9]*$ ]] || die "DOMAINS must be a positive number, not '$DOMAINS'"
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number, not '$RUNS'"
for tool in jq curl python3 jcmd /usr/bin/time; do command -v "$tool" >/dev/null || die "needs $tool"; done
[[ -f target/mxpolicy.jar ]] || ./mvnw -B -q package -DskipTests

work=$(mktemp -d "${TMPDIR:-/tmp}/mxpolicy-status.XXXXXX")
serve_pid=
cleanup() {
    set +e
    [[ -n $serve_pid ]] && kill "$serve_pid" 2>/dev/null && wait "$serve_pid" 2>/dev/null
    [[ $KEEP == 1 ]] && echo "status.sh: work directory $work" >&2 || rm -rf "$work"
}
trap cleanup EXIT

rss() { awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }
# live: the heap in use after a full collection, MiB: what the server keeps, without the garbage
live() { jcmd "$1" GC.run > /dev/null
    jcmd "$1" GC.heap_info | awk '/generation +total/ { for (i = 1; i <= NF; i++) if ($i == "used") { sub(/K,?/, "", $(i + 1)); kib += $(i + 1) } }
        END { printf "%d", kib / 1024 }'; }
load() { cut -d' ' -f1 /proc/loadavg; }
# stats: median, 90th percentile and maximum of the numbers on stdin (seconds), in ms
stats() { sort -g | awk '{ v[NR] = $1 * 1000 } END { printf "%7.1f %7.1f %7.1f", v[int((NR + 1) / 2)], v[int(NR * 0.9 + 0.5)], v[NR] }'; }

python3 bench/status-check-json.py "$DOMAINS" > "$work/check.json"
printf 'check JSON of %d domains: %d results, %.1f MiB\n' "$DOMAINS" \
    "$(jq '.results | length' "$work/check.json")" "$(echo "$(stat -c %s "$work/check.json") / 1048576" | bc -l)"

# The examples' policy hosts for the HTTPS side (serve needs one); the status pages read the JSON.
cp -r examples/. "$work/"
printf 'serve:\n  status_check: %s\n' "$work/check.json" >> "$work/provider.yaml"
bin/mxpolicy serve -c "$work/provider.yaml" --listen 127.0.0.1:$((PORT + 1)) --admin 127.0.0.1:$PORT --no-watch \
    > "$work/serve.out" 2> "$work/serve.err" &
serve_pid=$!
for _ in $(seq 600); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
    kill -0 "$serve_pid" 2>/dev/null || { cat "$work/serve.err" >&2; die "serve did not start"; }
    sleep 0.1
done
java_pid=$(pgrep -P "$serve_pid" java || echo "$serve_pid")
base=http://127.0.0.1:$PORT
sleep 2
rss_start=$(rss "$java_pid")
live_start=$(live "$java_pid")

# The first request parses the JSON and builds the rows.
read -r ttfb total size < <(curl -s -o /dev/null -w '%{time_starttransfer} %{time_total} %{size_download}\n' "$base/")
printf '%-44s %7.1f ms to first byte %7.1f ms in all (%d KiB), load %s\n' "first view (reads the JSON)" \
    "$(echo "$ttfb * 1000" | bc -l)" "$(echo "$total * 1000" | bc -l)" $((size / 1024)) "$(load)"

views=("/" "/?page=150" "/?sort=name&order=desc&page=77" "/?q=customer19&level=warning" "/?size=1000" \
    "/domain/customer12345.example" "/mx/mx1.example.com")
# Warm-up: every view, so each order is sorted once and the JIT has seen the code.
for _ in $(seq 20); do for v in "${views[@]}"; do curl -s -o /dev/null "$base$v"; done; done
rss_warm=$(rss "$java_pid")

printf '%-44s %23s %23s %8s\n' "view ($RUNS requests each, warm)" "first byte ms: med p90 max" "full page ms: med p90 max" "KiB"
for v in "${views[@]}"; do
    : > "$work/times"
    for _ in $(seq "$RUNS"); do
        curl -s -o /dev/null -w '%{time_starttransfer} %{time_total} %{size_download}\n' "$base$v" >> "$work/times"
    done
    printf '%-44s %23s %23s %8d\n' "$v" "$(cut -d' ' -f1 "$work/times" | stats)" \
        "$(cut -d' ' -f2 "$work/times" | stats)" $(($(tail -1 "$work/times" | cut -d' ' -f3) / 1024))
done
rss_end=$(rss "$java_pid")
live_end=$(live "$java_pid")
printf 'serve RSS: %d MiB before the first view, %d MiB after the warm-up, %d MiB at the end: +%d MiB (load %s)\n' \
    "$rss_start" "$rss_warm" "$rss_end" $((rss_end - rss_start)) "$(load)"
printf 'serve heap in use after a full GC: %d MiB before the first view, %d MiB at the end: +%d MiB kept\n' \
    "$live_start" "$live_end" $((live_end - live_start))

# The floor: jq reads the same JSON and prints a table of the domains with their worst status and
# the statuses of their MTA-STS and TLS-RPT results.
jq_program='.results | map(select(.subject | test(" ") | not)) | group_by(.subject)[]
  | [.[0].subject,
     (map(.status) | if index("CRITICAL") then "CRITICAL" elif index("UNKNOWN") then "UNKNOWN"
                     elif index("WARNING") then "WARNING" else "OK" end),
     (map(select(.id | startswith("mta-sts.")) | .status) | join(",")),
     (map(select(.id | startswith("tlsrpt.")) | .status) | join(","))] | @tsv'
/usr/bin/time -f '%e %M' -o "$work/jq.time" jq -r "$jq_program" "$work/check.json" > "$work/table.tsv"
read -r jq_s jq_kib < "$work/jq.time"
printf '%-44s %7.0f ms, %d MiB peak, %d rows\n' "jq: the same JSON into a table" "$(echo "$jq_s * 1000" | bc -l)" \
    $((jq_kib / 1024)) "$(wc -l < "$work/table.tsv")"

# And the static report of every domain in one file (JVM start included).
/usr/bin/time -f '%e %M' -o "$work/report.time" bin/mxpolicy report --check "$work/check.json" -o "$work/status.html"
read -r rep_s rep_kib < "$work/report.time"
printf '%-44s %7.0f ms, %d MiB peak, %d KiB file\n' "mxpolicy report (all rows, one file)" \
    "$(echo "$rep_s * 1000" | bc -l)" $((rep_kib / 1024)) $(($(stat -c %s "$work/status.html") / 1024))
