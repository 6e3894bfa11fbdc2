#!/usr/bin/env bash
# windows.yarascan with 100 rules over all process memory of a synthetic 8 GiB Windows 10 (19041) image with
# its pagefile and a memory-compression store: explorer.exe holds 512 MiB of resident private memory, 1 GiB
# paged out to pagefile.sys and 100 MiB of pages in the store, so most of what is scanned is read back from
# the pagefile or decompressed. The 100 rules are generated here: text, wide, nocase, hex with jumps and a
# regular expression, three strings each; the last one is the synthesizer's marker (from truth.json), so the
# scan also has matches to report. The whole vestige process from launch to exit (the image and pagefile in
# the page cache, --no-hash), paired run by run with windows.pslist on the same image, whose time is the
# start-up, kernel discovery and process list yarascan also pays; libyara's Aho-Corasick scan, the reads
# through the backing stores and the windows' overlap are yarascan's own. Also prints how many rows it gave.
#   benchmarks/windows/yarascan.sh [SIZE_MIB] [RUNS]     (default 8192 MiB, 3 runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/java-home.sh
size=${1:-8192}; runs=${2:-3}
vestige=releng/org.vestige.product/target/products/org.vestige.headless/linux/gtk/x86_64/vestige/vestige
[ -x "$vestige" ] || ./mvnw -B -q verify -DskipTests
work=$(mktemp -d "${TMPDIR:-/tmp}/vestige-yarascan.XXXXXX"); trap 'rm -rf "$work"' EXIT
VESTIGE_JVM_OPTS=-Xmx6g "$vestige" -q -o "$work" synth --profile 19041 --seed 1 --size-mib "$size" \
  --compressed-store intact --compressed-pages 25600 --bulk-resident 131072 --bulk-paged 262144 > /dev/null
marker=$(grep -o '"markers":{"marker":"[^"]*"' "$work/truth.json" | sed 's/.*"marker":"\([^"]*\)"/\1/')
for i in $(seq 1 99); do
  printf 'rule generated_%d {\n  strings:\n' "$i"
  printf '    $text = "evil-%04d.example.net"\n' "$i"
  case $((i % 4)) in
    0) printf '    $wide = "C:\\\\Users\\\\Public\\\\drop%d.exe" wide ascii\n' "$i" ;;
    1) printf '    $nocase = "PowerShell -enc JAB%04dZQ" nocase\n' "$i" ;;
    2) printf '    $hex = { 4D 5A 90 00 [4-16] %02X %02X 00 ?? 50 45 }\n' $((i & 255)) $(((i * 7) & 255)) ;;
    3) printf '    $re = /beacon_[0-9]{3}_%d\\.(dll|bin)/\n' "$i" ;;
  esac
  printf '    $mutex = "Global\\\\vx-mutex-%05d"\n  condition:\n    any of them\n}\n' "$((i * 37))"
done > "$work/rules.yar"
printf 'rule synth_marker {\n  strings:\n    $m = "%s"\n  condition:\n    $m\n}\n' "$marker" >> "$work/rules.yar"
cat "$work/image.raw" "$work/pagefile.sys" > /dev/null
args=(-q --no-hash -f "$work/image.raw" --pagefile "$work/pagefile.sys")
echo "image: $(du -h --apparent-size "$work/image.raw" | cut -f1) ($(du -h "$work/image.raw" | cut -f1) on disk)," \
  "pagefile.sys: $(du -h --apparent-size "$work/pagefile.sys" | cut -f1); $(grep -c '^rule ' "$work/rules.yar") rules"
rows=$("$vestige" "${args[@]}" windows.yarascan --rules "$work/rules.yar" -r json | wc -l)
echo "windows.yarascan: $rows rows"
farm-bench -n "$runs" --timeout 3000 --vs "$vestige ${args[*]} windows.pslist" -- \
  "$vestige" "${args[@]}" windows.yarascan --rules "$work/rules.yar"
