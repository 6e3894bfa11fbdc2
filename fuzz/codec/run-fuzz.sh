#!/usr/bin/env bash
# Runs Jazzer fuzz targets one after another (or N at a time), each for a fixed duration.
#
#   ./run-fuzz.sh [duration] [parallel] [target...]
#   ./run-fuzz.sh 10m 2                       # every target, 10 minutes each, two at a time
#   ./run-fuzz.sh 2m 1 XpressFuzzTest         # one target
#
# Needs a JDK >= 21 (JAVA_HOME, else the Temurin 25 install this project's machines have) and
# Maven. Logs go to target/fuzz-logs/<target>.log; the summary prints executions and findings.
set -euo pipefail
cd "$(dirname "$0")"
source ../java-env.sh
DURATION=${1:-10m}
PARALLEL=${2:-1}
shift $(( $# > 2 ? 2 : $# ))
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
    TARGETS=(XpressFuzzTest XpressHuffmanFuzzTest Lznt1FuzzTest Lz4FuzzTest SnappyFuzzTest RoundTripFuzzTest)
fi
source ../run-targets.sh
