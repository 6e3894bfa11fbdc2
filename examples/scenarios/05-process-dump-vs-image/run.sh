#!/usr/bin/env bash
# Scenario 5: a ProcDump -ma full minidump of notepad.exe taken after the memory image. windows.dumpdiff
# compares them section by section and shows which pages the image lacks (and why) that the dump holds.
#   run.sh    SCENARIO_DISABLE=1 run.sh: the check made without the dump, from the image alone (must fail)
scenario=05-process-dump-vs-image
source "$(dirname "$0")/../lib.sh"
img=$(windows10_image)
pid=$(truth "$img" '.processes[] | select(.name == "notepad.exe") | .pid')
dmp=$img/notepad.exe_$pid.dmp
cd "$work"
set -x
if disabled; then
    vestige -f "$img/image.raw" -o image windows.procdump --pid "$pid"
    # the pages the image lacks, as dumpdiff's rows would list them: none is held by a dump
    awk -F, '$3 == "missing" { print "2,notepad.exe,," $2 ",4096,missing from image,,,,,," $4 ",absent" }' \
        image/*.provenance.csv > diff.csv
else
    vestige -f "$img/image.raw" windows.dumpdiff --pid "$pid" --minidump "$dmp" | sed -n '1p; /^notepad.exe/,/^[^*]/p'
    vestige -q -f "$img/image.raw" -r csv windows.dumpdiff --pid "$pid" --minidump "$dmp" | tr -d '\r' > diff.csv
fi
{ set +x; } 2>/dev/null
lacked=$(truth "$img" '[.processes[] | select(.name == "notepad.exe") | .imagePages[]
    | select(.kind == "pagefile" and .module == "notepad.exe")] | length')
[ "$lacked" -gt 0 ] || fail "the image lacks no page of notepad.exe"
held=$(grep -c '^2,notepad.exe,[^,]*,[^,]*,4096,missing from image,.*paged out to pagefile.sys.*,present$' diff.csv || true)
[ "$held" = "$lacked" ] || fail "$held pages are shown as missing from the image and present in the dump, not the $lacked the image has in pagefile.sys"
section=$(grep '^1,notepad.exe,.text,' diff.csv | cut -d, -f9) # MissingInImage
[ "$section" = "$lacked" ] || fail ".text of notepad.exe counts ${section:-no} pages missing in the image, not $lacked"
echo "scenario $scenario passed: the dump holds the $lacked pages of notepad.exe's .text the image had only in pagefile.sys"
