#!/usr/bin/env bash
# Builds the Vestige product (unless it is already built), makes the bundled example — a synthetic
# Windows 10 (build 19041) memory image laid out from the kernel's real profile, with its truth — and
# runs Vestige's main job on it: find the kernel with no hints, then list the processes.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-home.sh
product=releng/org.vestige.product/target/products/org.vestige.headless/linux/gtk/x86_64/vestige
# sources newer than the product's build mean a build. The build is dated by p2's artifacts.xml (the launcher
# script keeps its source's date); what runs write (the example image, the scenarios' images, build output) is
# not a source.
if [ ! -x "$product/vestige" ] || [ ! -f "$product/artifacts.xml" ] || [ -n "$(find bundles examples features \
    releng/org.vestige.product/*.product \( -path examples/images -o -path examples/scenarios/.cache \
    -o -name target \) -prune -o -type f -newer "$product/artifacts.xml" -print -quit)" ]; then
  echo "building Vestige (./mvnw verify -DskipTests)..." >&2
  ./mvnw -B -q verify -DskipTests
fi
example=examples/images/win10-19041
if [ ! -f "$example/image.raw" ]; then
  echo "synthesizing the example image into $example ..." >&2
  "$product/vestige" -q -o "$example" synth --profile 19041 --seed 1 --size-mib 1024 > /dev/null
fi
set -x
"$product/vestige" -f "$example/image.raw" windows.pslist
