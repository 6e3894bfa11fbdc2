#!/usr/bin/env bash
# Scenario 1: notepad.exe's .text is partly paged out to pagefile.sys. Without the paging file the dump
# names the missing pages and where they are; with it the dump is byte-identical to the executable.
#   run.sh    SCENARIO_DISABLE=1 run.sh: the second dump too without the paging file (must fail)
scenario=01-paged-out-executable
source "$(dirname "$0")/../lib.sh"
source "$scenarios/steps.sh"
img=$(windows10_image)
cd "$work"
if disabled; then
    procdump_of_notepad "$img"
else
    procdump_of_notepad "$img" --pagefile "$img/pagefile.sys"
fi
echo "scenario $scenario passed"
