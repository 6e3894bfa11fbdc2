#!/usr/bin/env bash
# windows.memdump of every process of a synthetic 4 GiB Windows 10 (19041) image with a 2 GiB
# pagefile.sys: explorer.exe holds 512 MiB of resident private memory and 2 GiB paged out, so most of
# the output is read back from the pagefile. Whole vestige process from launch to exit (evidence
# hashing off, as on repeated runs; the image and pagefile in the page cache); prints MB/s of output
# (the dumps' logical size, holes included, and the bytes actually written), best of RUNS.
#   benchmarks/windows/memdump.sh [SIZE_MIB] [PAGED_MIB] [RUNS]     (default 4096, 2048, 3)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/java-home.sh
size=${1:-4096}; paged=${2:-2048}; runs=${3:-3}
vestige=releng/org.vestige.product/target/products/org.vestige.headless/linux/gtk/x86_64/vestige/vestige
[ -x "$vestige" ] || ./mvnw -B -q verify -DskipTests
profile=${PROFILE:-../shared/profiles/isf-full/windows/ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1.json.xz}
work=$(mktemp -d "${TMPDIR:-/tmp}/vestige-memdump.XXXXXX"); trap 'rm -rf "$work"' EXIT
VESTIGE_JVM_OPTS=-Xmx6g "$vestige" -q -o "$work/img" synth --profile "$profile" --build 19041 --seed 1 \
  --size-mib "$size" --bulk-resident 131072 --bulk-paged $((paged * 256)) > /dev/null
cat "$work/img/image.raw" "$work/img/pagefile.sys" > /dev/null
echo "image: $(du -h --apparent-size "$work/img/image.raw" | cut -f1), pagefile.sys: $(du -h --apparent-size \
  "$work/img/pagefile.sys" | cut -f1)"
best=0
for _ in $(seq "$runs"); do
  rm -rf "$work/out"
  start=$(date +%s.%N)
  "$vestige" -q --no-hash -f "$work/img/image.raw" --pagefile "$work/img/pagefile.sys" \
    --symbols "$work/img/image.isf.json.xz" -o "$work/out" windows.memdump > /dev/null 2> "$work/err"
  end=$(date +%s.%N)
  logical=$(find "$work/out" -name '*.dmp' -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s }')
  written=$(du -s --block-size=1 "$work/out" | cut -f1)
  rate=$(awk -v b="$logical" -v s="$start" -v e="$end" 'BEGIN { printf "%.0f", b / (e - s) / 1e6 }')
  echo "memdump of $(find "$work/out" -name '*.dmp' | wc -l) processes: $((logical / 1048576)) MiB of dumps" \
    "($(awk -v b="$written" 'BEGIN { printf "%.0f", b / 1048576 }') MiB on disk) in $(awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }') s:" \
    "$rate MB/s"
  best=$(( rate > best ? rate : best ))
done
grep -o '[0-9]* pagefile 0 (pagefile.sys)' "$work/err" | sort -n | tail -1 | sed 's/^/largest pagefile share of one dump: /'
echo "best of $runs runs: $best MB/s of output"
