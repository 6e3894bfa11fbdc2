#!/usr/bin/env bash
# Opens a scenario's case in the workbench with the Memory view on what the scenario is about: notepad.exe's
# image at its first page in pagefile.sys (1, 3, 5), the SAM hive's first page in the Registry process (2, 6), LsaIso.exe (4). Run the scenario
# first: it lays out the image. Further arguments go to the workbench (e.g. -data WORKSPACE).
#   open-in-workbench.sh NN-name [ARG...]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
source "$repo/scripts/java-home.sh"
product=${WORKBENCH:-$repo/releng/org.vestige.product/target/products/org.vestige.workbench/linux/gtk/x86_64/vestige-workbench}
name=${1:?usage: open-in-workbench.sh NN-name [ARG...]}; name=${name%/}; shift
case $name in
    01-*|03-*|05-*) img=windows-10-19041 ;; # the image they share
    *) img=$name ;;
esac
img=${SCENARIO_CACHE:-$here/.cache}/$img
[ -f "$img/truth.json" ] || { echo "no image laid out in $img: run examples/scenarios/$name/run.sh first" >&2; exit 2; }
pid_of() { jq -r --arg n "$1" '[.processes[] | select(.name == $n) | .pid][0]' "$img/truth.json"; }
case $name in
    02-*|06-*)
        at=$(jq -r '.hives.hives[] | select(.name | ascii_upcase | endswith("\\SAM")) | .displaced[0].va' "$img/truth.json")
        show=$(pid_of Registry)@$at ;;
    04-*) show=$(pid_of LsaIso.exe) ;;
    *) # at the first page of its image that is in pagefile.sys
        show=$(pid_of notepad.exe)@$(jq -r '[.processes[] | select(.name == "notepad.exe") | .imagePages[]
            | select(.module == "notepad.exe" and .kind == "pagefile")][0].va' "$img/truth.json") ;;
esac
evidence=(--evidence "$img/image.raw" --pagefile "$img/pagefile.sys")
case $name in 03-*) evidence=(--evidence "$img/memory.aff4") ;; esac # its pagefile is in the volume
set -x
exec "$JAVA_HOME/bin/java" -jar "$product"/plugins/org.eclipse.equinox.launcher_*.jar "$@" "${evidence[@]}" --show "$show"
