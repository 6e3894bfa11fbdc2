#!/usr/bin/env bash
# Profile matching on a cold start: a fresh vestige process runs windows.info (discovery: DTB, kernel image,
# PDB identity, profile matching from the bundles' plugin.xml, the chosen profile read and validated) on a
# synthetic Windows 10 19041 image laid out from an installed kernel, with no --symbols, so the profile comes
# from the installed bundles (about 200 kernels). Twice: with the kernel's own profile installed, and with it
# left out (--exclude-profile), when the kernel of the nearest revision stands in. Prints the best wall time
# of RUNS runs of each, and the Profile row windows.info reports. The case cache is off (--no-cache): each run
# discovers the kernel and matches its profile again.
#   benchmarks/windows/profile-match.sh [RUNS]     (default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/java-home.sh
runs=${1:-5}
vestige=releng/org.vestige.product/target/products/org.vestige.headless/linux/gtk/x86_64/vestige/vestige
[ -x "$vestige" ] || ./mvnw -B -q verify -DskipTests
work=$(mktemp -d "${TMPDIR:-/tmp}/vestige-match.XXXXXX"); trap 'rm -rf "$work"' EXIT
"$vestige" -q -o "$work" synth --profile 19041 --seed 1 --size-mib 1024 > /dev/null
cat "$work/image.raw" > /dev/null
own=$("$vestige" -q --no-hash --no-cache -f "$work/image.raw" windows.info -r json | grep -o '"Value":"org.vestige.profile[^"]*' \
  | head -n 1 | sed 's/.*(ntkrnlmp.pdb\/\([0-9A-F]*-[0-9]*\).*/\1/')
id="windows.x64.19041.$own"
for mode in own nearest; do
  args=(); [ "$mode" = own ] || args=(--exclude-profile "$id")
  best=999
  for _ in $(seq "$runs"); do
    wall=$( { /usr/bin/time -f '%e' "$vestige" -q --no-hash --no-cache -f "$work/image.raw" "${args[@]}" windows.info \
      > /dev/null; } 2>&1 | tail -n 1)
    best=$(awk -v a="$best" -v b="$wall" 'BEGIN { print (b < a) ? b : a }')
  done
  profile=$("$vestige" -q --no-hash --no-cache -f "$work/image.raw" "${args[@]}" windows.info -r json \
    | grep -o '"Value":"org.vestige.profile[^"]*' | head -n 1 | cut -d'"' -f4)
  echo "windows.info, $mode profile: best of $runs runs $best s wall; Profile: $profile"
done
