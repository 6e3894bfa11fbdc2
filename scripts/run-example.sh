#!/usr/bin/env bash
# Builds the Vestige product (unless it is already built) and runs it on the bundled example image:
# what the evidence is (format, hashes, probes) and an entropy map of its physical memory.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-home.sh
product=releng/org.vestige.product/target/products/org.vestige.headless/linux/gtk/x86_64/vestige
if [ ! -x "$product/vestige" ] || [ -n "$(find bundles examples features releng/org.vestige.product/*.product -newer "$product/vestige" -type f -print -quit)" ]; then
  echo "building Vestige (./mvnw verify -DskipTests)..." >&2
  ./mvnw -B -q verify -DskipTests
fi
example=examples/images/example.raw
[ -f "$example" ] || python3 examples/images/make-example.py "$example"
set -x
"$product/vestige" -f "$example" evidence.info
"$product/vestige" -f "$example" --no-hash example.entropy --block-size 1048576
