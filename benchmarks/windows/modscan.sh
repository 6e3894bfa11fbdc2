#!/usr/bin/env bash
# windows.modscan, windows.driverscan and windows.ssdt on a synthetic Windows 10 19041 image with the rogue
# driver planted: the whole vestige process from launch to exit (the image in the page cache, --no-hash), each
# paired run by run with windows.modules on the same image, whose time is the start-up, kernel discovery and
# PsLoadedModuleList walk every one of them also pays. For the two pool scans the difference is the scan of all
# of physical memory on every core for the 'MmLd' or 'Driv' tag; each prints its rate as an info line, shown
# here once. Also prints how many rows each analysis gave and how many of them it flagged.
#   benchmarks/windows/modscan.sh [SIZE_MIB] [RUNS]     (default 4096 MiB, 5 runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/java-home.sh
size=${1:-4096}; runs=${2:-5}
vestige=releng/org.vestige.product/target/products/org.vestige.headless/linux/gtk/x86_64/vestige/vestige
[ -x "$vestige" ] || ./mvnw -B -q verify -DskipTests
work=$(mktemp -d "${TMPDIR:-/tmp}/vestige-modscan.XXXXXX"); trap 'rm -rf "$work"' EXIT
"$vestige" -q -o "$work" synth --profile 19041 --seed 1 --size-mib "$size" > /dev/null
cat "$work/image.raw" > /dev/null
args=(--no-hash -f "$work/image.raw")
echo "image: $(du -h --apparent-size "$work/image.raw" | cut -f1) ($(du -h "$work/image.raw" | cut -f1) on disk)"
for plugin in windows.modscan windows.driverscan windows.ssdt; do
  "$vestige" "${args[@]}" "$plugin" -r json > "$work/rows.jsonl" 2> "$work/err.txt"
  echo "$plugin: $(wc -l < "$work/rows.jsonl") rows, $(grep -c ':true}$' "$work/rows.jsonl" || true) flagged;" \
    "$(grep -o '[0-9]* bytes scanned at [0-9.]* GB/s' "$work/err.txt" || echo 'no pool scan')"
done
for plugin in windows.modscan windows.driverscan windows.ssdt; do
  farm-bench -n "$runs" --timeout 900 --vs "$vestige -q ${args[*]} windows.modules" -- "$vestige" -q "${args[@]}" "$plugin"
done
