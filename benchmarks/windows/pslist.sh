#!/usr/bin/env bash
# windows.pslist on a synthetic 4 GiB Windows 10 19041 image, the whole vestige process from launch to
# exit (the image in the page cache, evidence hashing turned off with --no-hash as on repeated runs),
# and beside it on the same image windows.handles over all processes (every handle table, level 0, 1
# and 2, each object's type and name), windows.threads over all processes (every thread list, each start
# address placed in a module or VAD) and windows.info. Also prints the JVM's peak heap and how many
# rows each analysis gave. PLUGINS="windows.pslist windows.handles" picks the analyses; a pool scan among
# them (windows.psscan, windows.filescan) also prints the rate it reports (bytes of physical memory per second):
#   PLUGINS="windows.pslist windows.psscan windows.filescan" benchmarks/windows/pslist.sh 8192 3
# The image is dense (free memory filled); SYNTH_ARGS=--sparse leaves free frames holes, for a before/after.
#   benchmarks/windows/pslist.sh [SIZE_MIB] [RUNS]     (default 4096 MiB, 5 runs; 8192 for the 8 GiB figure)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/java-home.sh
size=${1:-4096}; runs=${2:-5}
vestige=releng/org.vestige.product/target/products/org.vestige.headless/linux/gtk/x86_64/vestige/vestige
[ -x "$vestige" ] || ./mvnw -B -q verify -DskipTests
profile=${PROFILE:-../shared/profiles/isf-full/windows/ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1.json.xz}
work=$(mktemp -d "${TMPDIR:-/tmp}/vestige-pslist.XXXXXX"); trap 'rm -rf "$work"' EXIT
"$vestige" -q -o "$work" synth --profile "$profile" --build 19041 --seed 1 --size-mib "$size" ${SYNTH_ARGS:-} > /dev/null
cat "$work/image.raw" > /dev/null
echo "image: $(du -h --apparent-size "$work/image.raw" | cut -f1) ($(du -h "$work/image.raw" | cut -f1) on disk)"
for plugin in ${PLUGINS:-windows.pslist windows.handles windows.threads windows.info}; do
  best=999
  for _ in $(seq "$runs"); do
    t=$( { /usr/bin/time -f '%e %M' "$vestige" -q --no-hash -f "$work/image.raw" --symbols "$work/image.isf.json.xz" \
      "$plugin" > /dev/null; } 2>&1 | tail -n 1)
    read -r wall rss <<<"$t"
    best=$(awk -v a="$best" -v b="$wall" 'BEGIN { print (b < a) ? b : a }')
  done
  rows=$("$vestige" -q --no-hash -f "$work/image.raw" --symbols "$work/image.isf.json.xz" "$plugin" -r json | wc -l)
  echo "$plugin: best of $runs runs $best s wall (last run peak RSS $((rss / 1024)) MiB, $rows rows)"
  rate=$("$vestige" --no-hash -f "$work/image.raw" --symbols "$work/image.isf.json.xz" "$plugin" 2>&1 >/dev/null \
    | grep -o '[0-9]* bytes scanned at [0-9.]* GB/s' | tail -n 1 || true)
  [ -z "$rate" ] || echo "$plugin pool scan: $rate"
done
