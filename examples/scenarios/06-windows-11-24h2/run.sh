#!/usr/bin/env bash
# Scenario 6: Windows 11 24H2 (build 26100), whose compressed store holds LZ4 blocks: the SAM's pages and
# pages of notepad.exe's image compressed. hashdump prints the hashes and procdump writes notepad.exe
# byte-identical to its executable.
#   run.sh    SCENARIO_DISABLE=1 run.sh: both with --no-compressed-store (must fail)
scenario=06-windows-11-24h2
source "$(dirname "$0")/../lib.sh"
source "$scenarios/steps.sh"
img=$cache/$scenario
layout $scenario synth --profile 26100 --seed 1 --size-mib 128 --svchosts 2 --compressed-store intact \
    --sam-pages compressed
[ "$(truth "$img" '.build')" = 26100 ] || fail "the image is not of build 26100"
compressed=$(truth "$img" '[.processes[] | select(.name == "notepad.exe") | .imagePages[]
    | select(.module == "notepad.exe" and .kind == "compressed")] | length')
[ "$compressed" -gt 0 ] || fail "no page of notepad.exe's image is in the compressed store"
# the shipped 26100 profile is trimmed: CmpHiveListHead comes from the image's symbol table, as it would
# from the kernel's PDB
evidence=(--symbols "$img/image.isf.json.xz")
cd "$work"
off=(); disabled && off=(--no-compressed-store)
set -x
vestige -f "$img/image.raw" "${evidence[@]}" windows.compressed.info | tee stores.txt
{ set +x; } 2>/dev/null
stores=$(grep -c '^[0-9]' stores.txt || true)
[ "$stores" -gt 0 ] && [ "$(grep '^[0-9]' stores.txt | grep -c ' lz4 ')" = "$stores" ] \
    || fail "windows.compressed.info does not show every store decoded with LZ4: $(cat stores.txt)"
hashdump_from_store "$img" "${off[@]}"
procdump_of_notepad "$img" --pagefile "$img/pagefile.sys" "${off[@]}"
from=$(grep -c ',compressed,' with/*.provenance.csv || true)
[ "$from" = "$compressed" ] || fail "$from pages of the dump came from the compressed store, not $compressed"
echo "scenario $scenario passed"
