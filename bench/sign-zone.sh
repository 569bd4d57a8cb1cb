#!/usr/bin/env bash
# Zone-signing benchmark: mxpolicy sign against ldns-signzone and dnssec-signzone -S on the same
# zone and the same key files. See bench/README.md.
#
#   bench/sign-zone.sh                 # 100,000 TLSA RRsets
#   RRSETS=10000 bench/sign-zone.sh    # smaller zone
#   KEEP=1 bench/sign-zone.sh          # keep the work directory (zones, outputs, logs)
set -euo pipefail

RRSETS=${RRSETS:-100000}
ZONE=${ZONE:-bench.test}
KEEP=${KEEP:-0}
JAVA17_HOME=${JAVA17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
JAVA25_HOME=${JAVA25_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}

cd "$(dirname "$0")/.."
root=$(pwd)

die() { echo "sign-zone.sh: $*" >&2; exit 2; }

[[ $RRSETS =~ ^[1-9][0-9]*$ ]] || die "RRSETS must be a positive number, not '$RRSETS'"

# ---- tools ----------------------------------------------------------------------------------

if [[ ! -x /usr/bin/time ]]; then
    if [[ $(id -u) -eq 0 ]]; then
        apt-get install -y -q time >/dev/null || die "cannot install the 'time' package (GNU time)"
    else
        die "/usr/bin/time (GNU time) is missing: apt-get install time"
    fi
fi
for tool in ldns-signzone ldns-verify-zone dnssec-keygen dnssec-signzone od awk; do
    command -v "$tool" >/dev/null || die "$tool is missing (packages: ldnsutils, bind9-utils)"
done

if [[ ! -f target/mxpolicy.jar ]]; then
    echo "building target/mxpolicy.jar ..."
    ./mvnw -q -B package -DskipTests
fi
have_mxpolicy_sign=0
if bin/mxpolicy --help 2>/dev/null | grep -qE '^[[:space:]]+sign[[:space:]]'; then
    have_mxpolicy_sign=1
else
    echo "note: this build of mxpolicy has no 'sign' command; timing ldns-signzone and dnssec-signzone only"
fi

# Runtimes for the mxpolicy runs: label -> JAVA_HOME (empty: the java on PATH).
runtime_labels=()
runtime_homes=()
if [[ -x $JAVA17_HOME/bin/java ]]; then
    runtime_labels+=("java17"); runtime_homes+=("$JAVA17_HOME")
else
    runtime_labels+=("java"); runtime_homes+=("")
fi
if [[ -x $JAVA25_HOME/bin/java ]]; then
    runtime_labels+=("java25"); runtime_homes+=("$JAVA25_HOME")
else
    echo "note: $JAVA25_HOME not found; mxpolicy runs on one runtime only"
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/mxpolicy-bench.XXXXXX")
if [[ $KEEP == 1 ]]; then
    trap 'echo "work directory kept: $work"' EXIT
else
    trap 'rm -rf "$work"' EXIT
fi

# ---- zone and keys --------------------------------------------------------------------------

zonefile=$work/$ZONE.zone
echo "generating $ZONE with $RRSETS TLSA RRsets in $work ..."
{
    # shellcheck disable=SC2016 # $ORIGIN and $TTL are zone-file directives
    printf '$ORIGIN %s.\n$TTL 3600\n' "$ZONE"
    printf '@ IN SOA ns1.%s. hostmaster.%s. 2026010101 7200 3600 1209600 3600\n' "$ZONE" "$ZONE"
    printf '@ IN NS ns1.%s.\n@ IN NS ns2.%s.\n' "$ZONE" "$ZONE"
    printf 'ns1 IN A 192.0.2.53\nns2 IN A 198.51.100.53\n'
    head -c $((RRSETS * 32)) /dev/urandom | od -An -v -tx1 -w32 | tr -d ' ' |
        awk -v zone="$ZONE" '{ printf "_25._tcp.mx%d.%s. 600 IN TLSA 3 1 1 %s\n", NR, zone, $0 }'
} > "$zonefile"
[[ $(grep -c ' TLSA ' "$zonefile") -eq $RRSETS ]] || die "zone generation produced the wrong number of records"

# The same zone with one TLSA RRset changed, for the incremental re-sign.
changed_owner="_25._tcp.mx$(( (RRSETS + 1) / 2 )).$ZONE."
new_digest=$(head -c 32 /dev/urandom | od -An -v -tx1 -w32 | tr -d ' \n')
changed=$work/$ZONE.changed.zone
awk -v owner="$changed_owner" -v digest="$new_digest" \
    '$1 == owner { $NF = digest } { print }' "$zonefile" > "$changed"

# One combined signing key per algorithm (KSK flag, signs everything), in a directory of its own
# so that dnssec-signzone -S and mxpolicy -K find just that key.
declare -A keydir keybase
for alg in ECDSAP256SHA256 ED25519; do
    keydir[$alg]=$work/keys-$alg
    mkdir -p "${keydir[$alg]}"
    keybase[$alg]=$(dnssec-keygen -q -K "${keydir[$alg]}" -a "$alg" -f KSK "$ZONE")
done

# ---- timed runs -----------------------------------------------------------------------------

# Results, one row per run.
rows_label=() rows_wall=() rows_cpu=() rows_kib=() rows_sigs=() rows_verified=() rows_kind=()
failures=0

# count_rrsigs FILE: RRSIG records (type field after owner, TTL and class, or owner and TTL).
count_rrsigs() {
    awk '$3 == "RRSIG" || $4 == "RRSIG" { n++ } END { print n + 0 }' "$1"
}

# timed LABEL KIND OUTPUT COMMAND...: runs COMMAND under GNU time, then verifies OUTPUT.
timed() {
    local label=$1 kind=$2 output=$3
    shift 3
    local n=${#rows_label[@]}
    local timefile=$work/time.$n log=$work/log.$n
    echo "  $label ..."
    if ! /usr/bin/time -f '%e %M %U %S' -o "$timefile" "$@" > "$log" 2>&1; then
        echo "    FAILED: $*" >&2
        sed 's/^/    | /' "$log" | tail -20 >&2
        failures=$((failures + 1))
        rows_label+=("$label") rows_kind+=("$kind") rows_wall+=("-") rows_cpu+=("-") rows_kib+=("-") rows_sigs+=("-")
        rows_verified+=("run failed")
        return 0
    fi
    local wall kib user sys
    read -r wall kib user sys < <(tail -1 "$timefile")
    local verified="ok"
    if ! ldns-verify-zone "$output" > "$log.verify" 2>&1; then
        verified="BAD SIGNATURES"
        failures=$((failures + 1))
        sed 's/^/    | /' "$log.verify" | tail -5 >&2
    elif [[ $kind == incremental* ]] && ! grep -q "$new_digest" "$output"; then
        verified="CHANGE MISSING"
        failures=$((failures + 1))
    fi
    rows_label+=("$label") rows_kind+=("$kind") rows_wall+=("$wall") rows_kib+=("$kib")
    rows_cpu+=("$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')")
    rows_sigs+=("$(count_rrsigs "$output")") rows_verified+=("$verified")
}

# wall time of the first row with LABEL ("" when absent or failed)
wall_of() {
    local i
    for i in "${!rows_label[@]}"; do
        if [[ ${rows_label[$i]} == "$1" && ${rows_wall[$i]} != "-" ]]; then
            echo "${rows_wall[$i]}"
            return
        fi
    done
    echo ""
}


for alg in ECDSAP256SHA256 ED25519; do
    dir=${keydir[$alg]}
    base=$dir/${keybase[$alg]}
    num=$([[ $alg == ED25519 ]] && echo 15 || echo 13)
    echo "algorithm $num ($alg), NSEC:"
    timed "ldns-signzone alg$num" full "$work/ldns.$num.signed" \
        ldns-signzone -o "$ZONE" -f "$work/ldns.$num.signed" "$zonefile" "$base"
    if [[ $alg == ECDSAP256SHA256 ]]; then
        # -z: the one key has the KSK flag and signs everything (a CSK); -O full: one record a line.
        timed "dnssec-signzone -S alg$num" full "$work/bind.$num.signed" \
            dnssec-signzone -q -S -z -K "$dir" -d "$work" -O full -o "$ZONE" -f "$work/bind.$num.signed" "$zonefile"
    fi
    if [[ $have_mxpolicy_sign == 1 ]]; then
        for r in "${!runtime_labels[@]}"; do
            rt=${runtime_labels[$r]}
            home=${runtime_homes[$r]}
            out=$work/mxpolicy.$num.$rt.signed
            rm -f "$out"
            # env, not a shell function: GNU time runs a program.
            mxpolicy_sign=(env)
            [[ -n $home ]] && mxpolicy_sign+=("JAVA_HOME=$home")
            mxpolicy_sign+=("$root/bin/mxpolicy" sign)
            timed "mxpolicy $rt alg$num" full "$out" \
                "${mxpolicy_sign[@]}" --zone "$ZONE" -K "$dir" -o "$out" "$zonefile"
            if [[ -f $out ]]; then
                # Incremental: the previous output is the starting point; one RRset changed.
                cp "$out" "$out.incr"
                timed "mxpolicy $rt alg$num re-sign" "incremental" "$out.incr" \
                    "${mxpolicy_sign[@]}" --zone "$ZONE" -K "$dir" -o "$out.incr" "$changed"
            fi
        done
    fi
done

# ---- report ---------------------------------------------------------------------------------

echo
printf 'Zone %s: %d TLSA RRsets, NSEC, one CSK per algorithm, %s CPU cores.\n' "$ZONE" "$RRSETS" "$(nproc)"
printf '%-34s %-12s %8s %8s %9s %9s %11s  %s\n' tool run "wall s" "CPU s" "peak MiB" RRSIGs "RRSIGs/s" \
    "ldns-verify-zone"
for i in "${!rows_label[@]}"; do
    wall=${rows_wall[$i]} kib=${rows_kib[$i]} sigs=${rows_sigs[$i]}
    mib="-" rate="-"
    [[ $kib != "-" ]] && mib=$(awk -v k="$kib" 'BEGIN { printf "%.0f", k / 1024 }')
    if [[ $wall != "-" && ${rows_kind[$i]} == full ]]; then
        rate=$(awk -v s="$sigs" -v w="$wall" 'BEGIN { printf "%.0f", (w > 0 ? s / w : 0) }')
    fi
    printf '%-34s %-12s %8s %8s %9s %9s %11s  %s\n' "${rows_label[$i]}" "${rows_kind[$i]}" "$wall" "${rows_cpu[$i]}" \
        "$mib" "$sigs" \
        "$rate" "${rows_verified[$i]}"
done

echo
echo "Targets (algorithm 13):"
ldns_full=$(wall_of "ldns-signzone alg13")
if [[ $have_mxpolicy_sign == 1 ]]; then
    for rt in "${runtime_labels[@]}"; do
        mx_full=$(wall_of "mxpolicy $rt alg13")
        mx_incr=$(wall_of "mxpolicy $rt alg13 re-sign")
        if [[ -z $mx_full || -z $ldns_full ]]; then
            echo "  $rt: no timing (a run failed)"
            continue
        fi
        awk -v rt="$rt" -v mx="$mx_full" -v ldns="$ldns_full" -v incr="${mx_incr:-0}" 'BEGIN {
            full = mx / ldns
            printf "  %s: full sign mxpolicy/ldns-signzone = %.2f (target <= 1.00): %s\n", rt, full,
                (full <= 1.0 ? "met" : "NOT MET")
            if (incr > 0) {
                speedup = ldns / incr
                printf "  %s: ldns-signzone full / mxpolicy re-sign = %.1fx (target >= 10x): %s\n", rt, speedup,
                    (speedup >= 10 ? "met" : "NOT MET")
            }
        }'
    done
    for i in "${!rows_label[@]}"; do
        if [[ ${rows_label[$i]} == mxpolicy* && ${rows_kib[$i]} != "-" ]]; then
            if (( ${rows_kib[$i]} >= 1048576 )); then
                echo "  ${rows_label[$i]} (${rows_kind[$i]}): peak RSS $(( ${rows_kib[$i]} / 1024 )) MiB (target < 1024 MiB): NOT MET"
            fi
        fi
    done
    echo "  peak memory of the mxpolicy runs: under 1 GiB unless listed above"
else
    echo "  mxpolicy sign not available: nothing to compare"
fi

echo
if (( failures > 0 )); then
    echo "Summary: $failures run(s) failed or produced a zone ldns-verify-zone rejects (see above)."
    exit 1
fi
echo "Summary: every output verified with ldns-verify-zone."
