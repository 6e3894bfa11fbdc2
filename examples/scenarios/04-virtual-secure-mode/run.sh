#!/usr/bin/env bash
# Scenario 4: a machine with Virtual Secure Mode and Credential Guard. windows.info says VBS was running, how
# it knows, and which processes' memory (LsaIso.exe's) a VTL0 acquisition cannot hold.
#   run.sh    SCENARIO_DISABLE=1 run.sh: the same check on the image of the machine without VBS (must fail)
scenario=04-virtual-secure-mode
source "$(dirname "$0")/../lib.sh"
if disabled; then
    img=$(windows10_image)
else
    layout $scenario synth --profile 19041 --seed 4 --size-mib 128 --svchosts 2 --hives --vbs
    img=$cache/$scenario
fi
cd "$work"
set -x
vestige -f "$img/image.raw" windows.info | tee info.txt | sed -n '/^Virtual Secure Mode/,$p'
vestige -q -f "$img/image.raw" -r csv windows.info | tr -d '\r' > info.csv
{ set +x; } 2>/dev/null
grep -q '^0,Virtual Secure Mode,"active:' info.csv || fail "windows.info does not say Virtual Secure Mode was active: $(grep 'Virtual Secure Mode' info.csv)"
pid=$(truth "$img" '.vbs.isolated[]? | select(.name == "LsaIso.exe") | .pid')
zeros=$(truth "$img" '.vbs.isolated[]? | select(.name == "LsaIso.exe") | .zeroPages')
[ -n "$pid" ] || fail "the image has no LsaIso.exe isolated by VTL1 (truth.json vbs.isolated)"
sed -n '/^1,Out of reach,/,/^1,/p' info.csv > reach.csv
grep -q "^2,LsaIso.exe (pid $pid),\"[0-9]* user pages: [0-9]* read with data, $zeros read as all zeros (VTL1 pages" reach.csv \
    || fail "windows.info does not name LsaIso.exe (pid $pid) with its $zeros pages out of a VTL0 acquisition's reach: $(cat reach.csv)"
echo "scenario $scenario passed: VBS active, LsaIso.exe (pid $pid) named with the $zeros pages VTL1 kept from the acquisition"
