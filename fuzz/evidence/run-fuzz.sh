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
source ./java-env.sh
DURATION=${1:-3m}
PARALLEL=${2:-1}
shift $(( $# > 2 ? 2 : $# ))
TARGETS=("$@")
if [ ${#TARGETS[@]} -eq 0 ]; then
    TARGETS=(Aff4VolumeFuzzTest ZipContainerFuzzTest TurtleFuzzTest CrashDumpFuzzTest MinidumpFuzzTest
        HiveFuzzTest IsfFuzzTest HiberFuzzTest VmwareFuzzTest)
fi
[ -d .cifuzz-corpus ] || echo "no corpus yet: run ./seed-corpus.sh for seeds from real and synthetic evidence" >&2
mvn -q -B test-compile
mkdir -p target/fuzz-logs

run_one() {
    local target=$1 log=target/fuzz-logs/$1.log
    echo "fuzzing $target for $DURATION -> $log"
    # A finding makes the test fail; keep going with the other targets.
    JAZZER_FUZZ=1 JAZZER_MAX_DURATION=$DURATION mvn -B -o surefire:test -Dtest="$target" >"$log" 2>&1 || true
}

running=0
for t in "${TARGETS[@]}"; do
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$PARALLEL" ]; then
        wait -n
        running=$((running - 1))
    fi
done
wait

echo
printf '%-24s %14s %8s  %s\n' target executions seconds result
for t in "${TARGETS[@]}"; do
    log=target/fuzz-logs/$t.log
    done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)
    runs=$(echo "$done_line" | awk '{print $2}')
    secs=$(echo "$done_line" | awk '{print $5}')
    if grep -q "Tests run: .*Failures: 0, Errors: 0" "$log" && [ -n "$done_line" ]; then
        result="no findings"
    else
        result="FINDING or error: see $log"
    fi
    printf '%-24s %14s %8s  %s\n' "$t" "${runs:-?}" "${secs:-?}" "$result"
done
