#!/usr/bin/env bash
# Large sparse images: windows.info and evidence.info on a synthetic Windows 10 19041 image of SIZE_MIB
# (default 16 GiB) whose memory is mostly holes, the whole vestige process from launch to exit (farm-bench:
# medians of RUNS runs), against the targets of issue 18: windows.info in under 5 s with under 1 GiB RSS.
#   - windows.info --no-hash --no-cache: discovery alone (profile found among the bundled ones, then again
#     with the image's own ISF given), which must read what it needs, not the whole file;
#   - evidence.info with default hashing (MD5, SHA-1, SHA-256 of the whole file, holes included).
#   benchmarks/evidence/sparse-info.sh [SIZE_MIB] [RUNS]     (default 16384 MiB, 5 runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/java-home.sh
size=${1:-16384}; runs=${2:-5}
vestige=$PWD/releng/org.vestige.product/target/products/org.vestige.headless/linux/gtk/x86_64/vestige/vestige
[ -x "$vestige" ] || ./mvnw -B -q verify -DskipTests
profile=${PROFILE:-../shared/profiles/isf-full/windows/ntkrnlmp.pdb/CA8E2F01B822EDE6357898BFBF862997-1.json.xz}
work=$(mktemp -d "${TMPDIR:-/tmp}/vestige-sparse.XXXXXX"); trap 'rm -rf "$work"' EXIT
"$vestige" -q -o "$work" synth --profile "$profile" --build 19041 --seed 1 --size-mib "$size" --sparse > /dev/null 2>&1
image=$work/image.raw
echo "image: $(du -h --apparent-size "$image" | cut -f1) (sparse, $(du -h "$image" | cut -f1) on disk)"

bench() { # label wall-target-s rss-target-MiB farm-bench arguments...
  local label=$1 wall_target=$2 rss_target=$3
  shift 3
  farm-bench -n "$runs" --timeout 3000 -- "$@" 2>&1 | awk -v l="$label" -v wt="$wall_target" -v rt="$rss_target" '
    / wall s / { wall = $5 } / peak MiB / { peak = $5 } /^(error|farm-bench:)/ { print }
    END {
      verdict = ""
      if (wt != "") verdict = sprintf("  (target < %s s, < %s MiB: %s)", wt, rt,
                                      wall < wt && peak < rt ? "met" : "NOT met")
      printf "%-44s median %7.2f s wall, peak RSS %6.0f MiB%s\n", l, wall, peak, verdict
    }'
}
bench "windows.info --no-hash --no-cache" 5 1024 "$vestige" -q -f "$image" --no-hash --no-cache windows.info
bench "  the same with --symbols (the image's ISF)" 5 1024 \
  "$vestige" -q -f "$image" --symbols "$work/image.isf.json.xz" --no-hash --no-cache windows.info
bench "evidence.info (MD5, SHA-1, SHA-256)" "" "" "$vestige" -q -f "$image" --no-cache evidence.info
