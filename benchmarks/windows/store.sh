#!/usr/bin/env bash
# The memory-compression store on a synthetic image with a large store: time to open the store
# index (find SmGlobals, walk every B+tree) and warm compressed-page reads per second with one and
# two threads, every page checked once against the synthesizer's SHA-256.
#   benchmarks/windows/store.sh [BUILD] [SIZE_MIB] [PAGES]     (default 19041, 4096 MiB, 50000 pages)
set -euo pipefail
cd "$(dirname "$0")"
source ../../scripts/java-home.sh
build=${1:-19041}; size=${2:-4096}; pages=${3:-50000}
case "$build" in
  26100) isf=../../bundles/profiles/org.vestige.profile.windows.x64.26100/profiles/win11_x64_26100_partial.json.xz ;;
  22621) isf=../../bundles/profiles/org.vestige.profile.windows.x64.22621/profiles/win11_x64_22621_partial.json.xz ;;
  *) isf=../../../shared/profiles/isf/win10_x64_${build}.json.xz ;;
esac
jar=target/org.vestige.windows.benchmarks-0.1.0-SNAPSHOT.jar
[ -f "$jar" ] || ../../mvnw -B -q package
java -Xmx6g -cp "$jar" org.vestige.windows.bench.CompressedStoreBenchmark "$isf" "$build" "$size" "$pages"
