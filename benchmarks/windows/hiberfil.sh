#!/usr/bin/env bash
# Reading every page of a synthesized hibernation file: the machine is synthesized at SIZE_MIB, its
# hiberfil.sys written with Xpress and Xpress-Huffman sets alternating and every page held, then read
# back through the hibernation layer; MB/s of decompressed output with one and two threads, the open
# (index) time and the index size. With "dense" (the default) the machine's zero pages are first
# filled with copies of its data pages, so the file holds data rather than mostly free memory.
#   benchmarks/windows/hiberfil.sh [SIZE_MIB] [dense|sparse] [BUILD]     (default 4096 MiB, dense, 19041)
set -euo pipefail
cd "$(dirname "$0")"
source ../../scripts/java-home.sh
size=${1:-4096}; fill=${2:-dense}; build=${3:-19041}
case "$build" in
  26100) isf=../../bundles/profiles/org.vestige.profile.windows.x64.26100/profiles/win11_x64_26100_partial.json.xz ;;
  *) isf=$(ls ../../bundles/profiles/org.vestige.profile.windows.x64.${build}/profiles/*-1.json.xz | head -n 1) ;;
esac
jar=target/org.vestige.windows.benchmarks-0.1.0-SNAPSHOT.jar
[ -f "$jar" ] || ../../mvnw -B -q package
java -Xmx3g -cp "$jar" org.vestige.windows.bench.HiberfilBenchmark "$isf" "$build" "$size" "$fill"
