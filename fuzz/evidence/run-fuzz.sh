#!/usr/bin/env bash
# Runs Jazzer fuzz targets one after another (or N at a time), each for a fixed duration.
#
#   ./run-fuzz.sh [duration] [parallel] [target...]
#   ./run-fuzz.sh 3m 1                        # every target, 3 minutes each, one at a time
#   ./run-fuzz.sh 10m 1 HiveFuzzTest          # one target
#
# Run ./seed-corpus.sh first. Needs a JDK >= 21 (JAVA_HOME, else the Temurin install this project's
# machines have) and Maven. Logs go to target/fuzz-logs/<target>.log; the summary prints executions
# and findings.
set -euo pipefail
cd "$(dirname "$0")"
source ../java-env.sh
DURATION=${1:-3m}
PARALLEL=${2:-1}
shift $(( $# > 2 ? 2 : $# ))
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
    TARGETS=(Aff4VolumeFuzzTest ZipContainerFuzzTest TurtleFuzzTest CrashDumpFuzzTest MinidumpFuzzTest
        HiveFuzzTest IsfFuzzTest HiberFuzzTest VmwareFuzzTest PdbFuzzTest)
fi
[ -d .cifuzz-corpus ] || echo "no corpus yet: run ./seed-corpus.sh for seeds from real and synthetic evidence" >&2
source ../run-targets.sh
