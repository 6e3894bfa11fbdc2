#!/usr/bin/env bash
# Scenario 2: every page of the SAM hive sits in the memory-compression store (Windows 10 2004). With
# --no-compressed-store windows.hashdump prints no hash and names each compressed page; without it, the hashes.
#   run.sh    SCENARIO_DISABLE=1 run.sh: the second hashdump too with --no-compressed-store (must fail)
scenario=02-hashes-in-compressed-memory
source "$(dirname "$0")/../lib.sh"
source "$scenarios/steps.sh"
img=$cache/$scenario
layout $scenario synth --profile 19041 --seed 1 --size-mib 128 --svchosts 2 --compressed-store intact \
    --sam-pages compressed
cd "$work"
if disabled; then
    hashdump_from_store "$img" --no-compressed-store
else
    hashdump_from_store "$img"
fi
echo "scenario $scenario passed"
