#!/usr/bin/env bash
# TLS report intake: MAILS gzipped report mails (each with DETAILS failure details) taken in from a
# Maildir by `mxpolicy reports ingest --maildir`, then a 30-day `reports summary` over them. With
# parsedmarc installed (pip install parsedmarc), the same files are parsed by it in the same run as
# the anchor, and the ratio printed. See bench/README.md.
#
#   bench/reports.sh                              # 10,000 mails x 100 details = 1,000,000 failure rows
#   MAILS=1000 bench/reports.sh                   # fewer
#   DATABASE=postgresql://u:p@127.0.0.1:5432/db bench/reports.sh   # into PostgreSQL instead of SQLite
#   KEEP=1 bench/reports.sh                       # keep the work directory
set -euo pipefail

MAILS=${MAILS:-10000}
DETAILS=${DETAILS:-100}
DOMAINS=${DOMAINS:-2000}
KEEP=${KEEP:-0}

cd "$(dirname "$0")/.."
root=$(pwd)
die() { echo "reports.sh: $*" >&2; exit 2; }
[[ $MAILS =~ ^[1-9][0-9]*$ ]] || die "MAILS must be a positive number, not '$MAILS'"
command -v /usr/bin/time >/dev/null || die "needs GNU time (apt-get install time)"
command -v python3 >/dev/null || die "needs python3"
[[ -f target/mxpolicy.jar ]] || ./mvnw -B -q package -DskipTests

work=$(mktemp -d "${TMPDIR:-/tmp}/mxpolicy-reports.XXXXXX")
[[ $KEEP == 1 ]] && echo "reports.sh: work directory $work" >&2 || trap 'rm -rf "$work"' EXIT
today=$(date -u +%F)
python3 bench/report-mails.py "$work/Maildir" "$MAILS" "$DOMAINS" "$DETAILS" "$today"
cp -r "$work/Maildir/new" "$work/mails"   # the same files for parsedmarc
cat > "$work/reports.yaml" <<YAML
zones:
  example.com: {}
domains:
  - { name: example.com, mx: [ { host: mx1.example.com, cert: $root/examples/certs/mx1.example.com/fullchain.pem } ] }
reports:
  database: ${DATABASE:-$work/reports.sqlite}
  quarantine_dir: $work/quarantine
YAML

measure() {
    local what=$1; shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out" 2> "$work/err" || {
        cat "$work/err" >&2; die "$what failed"; }
    read -r wall kib < "$work/time"
    printf '%-44s %8.2f s %8d MiB\n' "$what" "$wall" $((kib / 1024))
}

store=SQLite
[[ -n ${DATABASE:-} ]] && store=PostgreSQL
echo "TLS reports: $MAILS mails x $DETAILS failure details ($(nproc) cores, store $store)"
measure "mxpolicy reports ingest --maildir" bin/mxpolicy reports ingest -c "$work/reports.yaml" --maildir "$work/Maildir"
ours=$wall
cat "$work/out" "$work/err" | grep -q "$MAILS reports stored" || { cat "$work/out" "$work/err" >&2; die "not every mail was stored"; }
printf '%-44s %8.0f mails/s\n' "  throughput" "$(echo "$MAILS / $ours" | bc -l)"
measure "mxpolicy reports summary --since 30d" bin/mxpolicy reports summary -c "$work/reports.yaml" --since 30d --format json
if command -v parsedmarc >/dev/null; then
    measure "parsedmarc (same files)" parsedmarc --offline -s "$work"/mails/*
    printf 'mxpolicy ingest is %.1fx parsedmarc\n' "$(echo "$wall / $ours" | bc -l)"
else
    echo "parsedmarc is not installed (pip install parsedmarc): no anchor, no ratio"
fi
