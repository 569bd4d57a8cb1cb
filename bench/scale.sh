#!/usr/bin/env bash
# Hosting-provider scale: a config of DOMAINS customer domains on two MX hosts, written the way
# docs/config.md suggests for many domains (mx_hosts, a profile, one included file per customer),
# and the time and peak memory of the commands at that size. See bench/README.md.
#
#   bench/scale.sh                  # 20,000 domains
#   DOMAINS=2000 bench/scale.sh     # fewer
#   KEEP=1 bench/scale.sh           # keep the work directory
#
# Measured so far: generate (first run, and a re-run with nothing changed, which must write
# nothing). serve, publish, check and rollover at this size are not measured yet.
set -euo pipefail

DOMAINS=${DOMAINS:-20000}
KEEP=${KEEP:-0}

cd "$(dirname "$0")/.."
root=$(pwd)

die() { echo "scale.sh: $*" >&2; exit 2; }
[[ $DOMAINS =~ ^[1-9][0-9]*$ ]] || die "DOMAINS must be a positive number, not '$DOMAINS'"
command -v /usr/bin/time >/dev/null || die "needs GNU time (apt-get install time)"
[[ -f target/mxpolicy.jar ]] || ./mvnw -B -q package -DskipTests

work=$(mktemp -d "${TMPDIR:-/tmp}/mxpolicy-scale.XXXXXX")
[[ $KEEP == 1 ]] && echo "scale.sh: work directory $work" >&2 || trap 'rm -rf "$work"' EXIT
mkdir -m 755 "$work/conf.d"
cat > "$work/hosted.yaml" <<YAML
zones:
  example.com: {}
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
YAML
for ((i = 1; i <= DOMAINS; i++)); do
    printf 'zones: { customer%d.example: {} }\ndomains: [ { name: customer%d.example, profile: hosted } ]\n' \
        "$i" "$i" > "$work/conf.d/customer$i.example.yaml"
done

# one row: what, wall seconds, peak resident MiB
measure() {
    local what=$1; shift
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" > "$work/out" 2> "$work/err" || {
        cat "$work/err" >&2; die "$what failed"; }
    read -r wall kib < "$work/time"
    printf '%-34s %8.2f s %8d MiB\n' "$what" "$wall" $((kib / 1024))
}

echo "mxpolicy at $DOMAINS hosted domains ($(nproc) cores, $(java -version 2>&1 | head -1))"
measure "generate (stdout)" bin/mxpolicy generate -c "$work/hosted.yaml"
measure "generate -o (first run)" bin/mxpolicy generate -c "$work/hosted.yaml" -o "$work/zones" --mkdir
written=$(grep -c ': written$' "$work/err" || true)
measure "generate -o (nothing changed)" bin/mxpolicy generate -c "$work/hosted.yaml" -o "$work/zones"
rewritten=$(grep -c ': written$' "$work/err" || true)
echo "zone files written: $written on the first run, $rewritten on the re-run (must be 0)"
[[ $rewritten -eq 0 ]] || die "a re-run with nothing changed wrote files"
