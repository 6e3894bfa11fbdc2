#!/usr/bin/env bash
# vestige forensic on a synthetic Windows 10 19041 image (default 8 GiB) with its paging file, the whole vestige
# process from launch to exit (farm-bench: medians of RUNS runs, the image in the page cache, --no-hash), against
#   - the same analyses one by one, one vestige process each, as an analyst would type them (the sum of their
#     runs: every process start, every discovery, every analysis on one core);
#   - the same analyses in one command, one after the other (-r sqlite -o, one process: the run without
#     running analyses side by side);
# and the run given again on its finished case database (everything skipped: the cost of resuming).
# Prints the machine's load before and after, since the figures depend on it.
#   benchmarks/cases/forensic.sh [SIZE_MIB] [RUNS]     (default 8192 MiB, 3 runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/java-home.sh
size=${1:-8192}; runs=${2:-3}
vestige=$PWD/releng/org.vestige.product/target/products/org.vestige.headless/linux/gtk/x86_64/vestige/vestige
[ -x "$vestige" ] || ./mvnw -B -q verify -DskipTests
profile=${PROFILE:-../shared/profiles/isf-full/windows/ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1.json.xz}
work=$(mktemp -d "${TMPDIR:-/tmp}/vestige-forensic.XXXXXX"); trap 'rm -rf "$work"' EXIT
"$vestige" -q -o "$work" synth --profile "$profile" --build 19041 --seed 1 --size-mib "$size" > /dev/null 2>&1
cat "$work/image.raw" "$work/pagefile.sys" > /dev/null
echo "image: $(du -h --apparent-size "$work/image.raw" | cut -f1) ($(du -h "$work/image.raw" | cut -f1) on disk)," \
  "pagefile $(du -h --apparent-size "$work/pagefile.sys" | cut -f1); $(nproc) cores"
evidence=(-q --no-hash --no-cache -f "$work/image.raw" --pagefile "$work/pagefile.sys" --symbols "$work/image.isf.json.xz")
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

# the analyses a forensic run runs on this image, from its case database
"$vestige" "${evidence[@]}" forensic -o "$work/list.db" > /dev/null 2>&1 || true
mapfile -t analyses < <(sqlite3 "$work/list.db" "SELECT plugin FROM analyses ORDER BY id")
echo "${#analyses[@]} analyses: ${analyses[*]}"

bench() { # label farm-bench arguments...
  local label=$1
  shift
  farm-bench -n "$runs" --timeout 3600 -- "$@" 2>&1 | awk -v l="$label" '
    / wall s / { wall = $5 } / cpu s / { cpu = $5 } / peak MiB / { peak = $5 } /^(error|farm-bench:)/ { print }
    END { printf "%-62s median %8.2f s wall, %8.2f s cpu, peak RSS %6.0f MiB\n", l, wall, cpu, peak }'
}
bench "forensic run (--jobs $(nproc))" \
  sh -c "rm -f '$work/case.db'; exec '$vestige' ${evidence[*]} forensic -o '$work/case.db'"
bench "forensic run (--jobs 1)" \
  sh -c "rm -f '$work/case1.db'; exec '$vestige' ${evidence[*]} forensic --jobs 1 -o '$work/case1.db'"
bench "the same analyses in one command, one after the other" \
  sh -c "rm -f '$work/seq.db'; exec '$vestige' ${evidence[*]} -r sqlite -o '$work/seq.db' ${analyses[*]}"
bench "the same analyses one by one, one process each (the sum)" \
  sh -c "for a in ${analyses[*]}; do '$vestige' ${evidence[*]} \$a -r json > /dev/null || true; done"
bench "forensic run given again on its finished case" \
  "$vestige" "${evidence[@]}" forensic -o "$work/case.db"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
