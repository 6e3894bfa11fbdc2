#!/usr/bin/env bash
# windows.netscan on a synthetic 8 GiB Windows 10 19041 image: the whole vestige process from launch to exit
# (the image in the page cache, --no-hash), paired run by run with windows.pslist on the same image, whose
# time is the start-up, kernel discovery and process list netscan also pays; the difference is netscan's own
# cost: one pass over all of physical memory for pool blocks tagged TcpE, TcpL or UdpA on every core, each
# endpoint decoded, and the walk of tcpip's tables it is compared with. Also prints the scan rate netscan
# reports (bytes of physical memory per second), how many rows it gave, and windows.netstat's rows.
#   benchmarks/windows/netscan.sh [SIZE_MIB] [RUNS]     (default 8192 MiB, 5 runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/java-home.sh
size=${1:-8192}; runs=${2:-5}
vestige=releng/org.vestige.product/target/products/org.vestige.headless/linux/gtk/x86_64/vestige/vestige
[ -x "$vestige" ] || ./mvnw -B -q verify -DskipTests
profile=${PROFILE:-../shared/profiles/isf-full/windows/ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1.json.xz}
work=$(mktemp -d "${TMPDIR:-/tmp}/vestige-netscan.XXXXXX"); trap 'rm -rf "$work"' EXIT
"$vestige" -q -o "$work" synth --profile "$profile" --build 19041 --seed 1 --size-mib "$size" > /dev/null
cat "$work/image.raw" > /dev/null
args=(--no-hash -f "$work/image.raw" --symbols "$work/image.isf.json.xz")
echo "image: $(du -h --apparent-size "$work/image.raw" | cut -f1) ($(du -h "$work/image.raw" | cut -f1) on disk)"
rows=$("$vestige" -q "${args[@]}" windows.netscan -r json | wc -l)
listed=$("$vestige" -q "${args[@]}" windows.netstat -r json | wc -l)
echo "windows.netscan: $rows rows; windows.netstat: $listed rows"
for _ in $(seq "$runs"); do
  "$vestige" "${args[@]}" windows.netscan 2>&1 >/dev/null | grep -o '[0-9]* bytes scanned at [0-9.]* GB/s' || true
done
farm-bench -n "$runs" --timeout 600 --vs "$vestige -q ${args[*]} windows.pslist" -- "$vestige" -q "${args[@]}" windows.netscan
