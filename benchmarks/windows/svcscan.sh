#!/usr/bin/env bash
# windows.svcscan on a synthetic Windows 10 19041 image with its hives in memory and its pagefile: the
# whole vestige process from launch to exit (the image in the page cache, --no-hash), paired run by run
# with windows.pslist on the same image, whose time is the start-up, kernel discovery and process list
# svcscan also pays. The difference is svcscan's own cost: every committed page of services.exe's VADs
# read through the backing stores for the serH tag, the record lists walked, and SYSTEM's Services key
# read from the hive in memory for the comparison. Also prints how many rows svcscan gave and how many
# pages services.exe's VADs span.
#   benchmarks/windows/svcscan.sh [SIZE_MIB] [RUNS]     (default 4096 MiB, 5 runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/java-home.sh
size=${1:-4096}; runs=${2:-5}
vestige=releng/org.vestige.product/target/products/org.vestige.headless/linux/gtk/x86_64/vestige/vestige
[ -x "$vestige" ] || ./mvnw -B -q verify -DskipTests
work=$(mktemp -d "${TMPDIR:-/tmp}/vestige-svcscan.XXXXXX"); trap 'rm -rf "$work"' EXIT
"$vestige" -q -o "$work" synth --profile 19041 --seed 1 --size-mib "$size" --hives > /dev/null
cat "$work/image.raw" "$work/pagefile.sys" > /dev/null
args=(-q --no-hash -f "$work/image.raw" --pagefile "$work/pagefile.sys")
echo "image: $(du -h --apparent-size "$work/image.raw" | cut -f1) ($(du -h "$work/image.raw" | cut -f1) on disk)"
pid=$("$vestige" "${args[@]}" windows.pslist -r csv | awk -F, '$4 == "services.exe" { print $2; exit }')
pages=$("$vestige" "${args[@]}" windows.vadinfo --pid "$pid" -r json \
  | sed -n 's/.*"Start VPN":"\(0x[0-9a-f]*\)","End VPN":"\(0x[0-9a-f]*\)".*/\1 \2/p' \
  | while read -r s e; do echo $(( (e - s + 1) >> 12 )); done | awk '{ n += $1 } END { print n + 0 }')
rows=$("$vestige" "${args[@]}" windows.svcscan -r json | wc -l)
echo "services.exe (pid $pid): $pages pages in its VADs; windows.svcscan: $rows rows"
farm-bench -n "$runs" --timeout 600 --vs "$vestige ${args[*]} windows.pslist" -- "$vestige" "${args[@]}" windows.svcscan
