#!/usr/bin/env bash
# Speed across runs: windows.pslist on a synthetic Windows 10 19041 image with its paging file and
# memory-compression store, the whole vestige process from launch to exit (farm-bench: medians of
# RUNS runs, the image in the page cache), for
#   - a first open: the case cache empty, the evidence hashed (MD5, SHA-1, SHA-256) while pslist runs;
#   - a second open: the digests taken from the case cache;
#   - no hashing and no cache at all (--no-hash --no-cache), the floor of the two above;
#   - sha256sum of the same image alone (a first open should take no longer than this);
#   - vestige plugins (start-up: the JVM and Equinox, no evidence);
#   - one command inside vestige shell: a shell running 21 windows.pslist against one running 1, the
#     difference over 20.
#   - with BASELINE=path/to/another/vestige: the second open and the start-up of this build paired
#     with the same of the baseline (farm-bench --vs, A this build, B the baseline), so that a gain
#     shows even on a loaded machine; the load (uptime) is printed first.
#   benchmarks/cases/run.sh [SIZE_MIB] [RUNS]     (default 8192 MiB, 5 runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
echo "load: $(uptime)"
source scripts/java-home.sh
size=${1:-8192}; runs=${2:-5}
vestige=$PWD/releng/org.vestige.product/target/products/org.vestige.headless/linux/gtk/x86_64/vestige/vestige
[ -x "$vestige" ] || ./mvnw -B -q verify -DskipTests
profile=${PROFILE:-../shared/profiles/isf-full/windows/ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1.json.xz}
work=$(mktemp -d "${TMPDIR:-/tmp}/vestige-cases.XXXXXX"); trap 'rm -rf "$work"' EXIT
"$vestige" -q -o "$work" synth --profile "$profile" --build 19041 --seed 1 --size-mib "$size" > /dev/null 2>&1
cat "$work/image.raw" "$work/pagefile.sys" > /dev/null
echo "image: $(du -h --apparent-size "$work/image.raw" | cut -f1) ($(du -h "$work/image.raw" | cut -f1) on disk)," \
  "pagefile $(du -h --apparent-size "$work/pagefile.sys" | cut -f1)"
evidence=(-q -f "$work/image.raw" --pagefile "$work/pagefile.sys" --symbols "$work/image.isf.json.xz")

bench() { # label farm-bench arguments...
  local label=$1
  shift
  farm-bench -n "$runs" --timeout 3000 -- "$@" 2>&1 | awk -v l="$label" '
    / wall s / { wall = $5 } / peak MiB / { peak = $5 } /^(error|farm-bench:)/ { print }
    END { printf "%-58s median %7.2f s wall, peak RSS %6.0f MiB\n", l, wall, peak }'
}
bench "windows.pslist, first open (hashing while it runs)" \
  sh -c "rm -rf '$work/case'; exec '$vestige' ${evidence[*]} --case '$work/case' windows.pslist"
"$vestige" "${evidence[@]}" --case "$work/case" windows.pslist > /dev/null 2>&1
bench "windows.pslist, second open (digests from the case cache)" \
  "$vestige" "${evidence[@]}" --case "$work/case" windows.pslist
bench "windows.pslist, --no-hash --no-cache" "$vestige" "${evidence[@]}" --no-hash --no-cache windows.pslist
bench "sha256sum of the image alone" sha256sum "$work/image.raw"
bench "vestige plugins (start-up)" "$vestige" -q plugins
for _ in $(seq 21); do echo windows.pslist; done > "$work/21.txt"; echo windows.pslist > "$work/1.txt"
shell() { farm-bench -n "$runs" --timeout 3000 -- sh -c "exec '$vestige' ${evidence[*]} --case '$work/case' shell < '$1'" 2>&1 |
  awk '/ wall s / { print $5 }'; }
one=$(shell "$work/1.txt"); many=$(shell "$work/21.txt")
awk -v a="$one" -v b="$many" 'BEGIN { printf "%-58s median %7.3f s a command (shell of 21: %.2f s, of 1: %.2f s)\n",
  "windows.pslist inside vestige shell", (b - a) / 20, b, a }'
if [ -n "${BASELINE:-}" ]; then
  paired() { # label, then this build's and the baseline's command lines
    farm-bench -n "$runs" --timeout 3000 --vs "$3" -- sh -c "$2" 2>&1 | awk -v l="$1" '
      / wall s / && /^A / { a = $5 } / wall s / && /^B / { b = $5 } /^A\/B wall/ { r = $4 } /^A\/B cpu/ { c = $4 }
      END { printf "%-58s median %7.2f s against %7.2f s: A/B wall %.3f, cpu %.3f\n", l, a, b, r, c }'; }
  rm -rf "$work/base-case"; cp -r "$work/case" "$work/base-case"
  "$BASELINE" "${evidence[@]}" --case "$work/base-case" windows.pslist > /dev/null 2>&1
  paired "second open, this build against BASELINE" \
    "exec '$vestige' ${evidence[*]} --case '$work/case' windows.pslist" \
    "sh -c \"exec '$BASELINE' ${evidence[*]} --case '$work/base-case' windows.pslist\""
  paired "vestige plugins, this build against BASELINE" "exec '$vestige' -q plugins" "$BASELINE -q plugins"
fi
