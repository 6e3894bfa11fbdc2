#!/usr/bin/env bash
# Runs every scenario, then each again with its key capability switched off (SCENARIO_DISABLE=1), which must
# fail its check: the scenarios can tell the capability working from it not working. Run by the build
# (releng/org.vestige.product, verify phase) after the smoke test. Each scenario's output goes to
# $SCENARIO_LOGS (default: a temporary folder), printed when a scenario does not end as it should.
#   run-all.sh [SCENARIO...]    (default: every NN-name folder)
set -euo pipefail
cd "$(dirname "$0")"
logs=${SCENARIO_LOGS:-$(mktemp -d)}
mkdir -p "$logs"
if [ $# -gt 0 ]; then scenarios=("$@"); else scenarios=([0-9][0-9]-*/); fi
start=$SECONDS
failed=0
for s in "${scenarios[@]}"; do
    s=${s%/}
    t=$SECONDS
    if bash "$s/run.sh" > "$logs/$s.log" 2>&1; then
        echo "passed   $s ($((SECONDS - t)) s)"
    else
        echo "FAILED   $s ($((SECONDS - t)) s): $(tail -n 1 "$logs/$s.log")"; cat "$logs/$s.log" >&2; failed=1
    fi
done
for s in "${scenarios[@]}"; do
    s=${s%/}
    t=$SECONDS
    set +e
    SCENARIO_DISABLE=1 bash "$s/run.sh" > "$logs/$s.disabled.log" 2>&1; code=$?
    set -e
    if [ $code -eq 1 ] && grep -q "^scenario $s FAILED: " "$logs/$s.disabled.log"; then
        echo "refused  $s with its capability off ($((SECONDS - t)) s): $(grep "^scenario $s FAILED: " "$logs/$s.disabled.log" | cut -c1-160)"
    else
        echo "WRONG    $s with its capability off exited $code instead of failing its check" >&2
        cat "$logs/$s.disabled.log" >&2; failed=1
    fi
done
echo "scenarios: ${#scenarios[@]} run, each also with its capability off, in $((SECONDS - start)) s"
exit $failed
