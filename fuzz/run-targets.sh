# Sourced by the fuzz projects' run-fuzz.sh: compiles the project, runs each of TARGETS for DURATION,
# PARALLEL at a time (logs in target/fuzz-logs/<target>.log), and prints executions and findings per target.
# A finding makes a target's test fail; the others still run.
mvn -q -B test-compile
mkdir -p target/fuzz-logs

run_one() {
    local target=$1 log=target/fuzz-logs/$1.log
    echo "fuzzing $target for $DURATION -> $log"
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
