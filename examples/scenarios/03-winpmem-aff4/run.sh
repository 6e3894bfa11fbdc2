#!/usr/bin/env bash
# Scenario 3: a WinPmem 3.x style AFF4 volume, its chunks deflate-compressed and pagefile.sys stored beside
# physical memory. It opens directly; the paging file wires itself to its slot (notepad.exe dumps byte-identical
# to its executable with no --pagefile given); aff4.export gives back the raw image and the paging file,
# each with the SHA-256 of what was acquired.
#   run.sh    SCENARIO_DISABLE=1 run.sh: the dump taken from the exported physical memory alone, as a reader
#             that ignores the volume's pagefile stream sees it (must fail)
scenario=03-winpmem-aff4
source "$(dirname "$0")/../lib.sh"
source "$scenarios/steps.sh"
img=$(windows10_image)
if [ ! -f "$img/memory.aff4" ]; then
    # the volume as WinPmem 3.x writes it with --format aff4 -c deflate and the paging file (-p)
    vestige -q --no-hash -f "$img/image.raw" --pagefile "$img/pagefile.sys" -o "$img" aff4.convert --codec deflate \
        --name memory.aff4 > /dev/null || fail "aff4.convert failed"
fi
pid=$(truth "$img" '.processes[] | select(.name == "notepad.exe") | .pid')
original=$(truth "$img" '.processes[] | select(.name == "notepad.exe") | .imageSha256')
cd "$work"
set -x
vestige -f "$img/memory.aff4" evidence.info | tee info.txt | grep -E '^(image|pagefile)|stream|pagefiles'
vestige --no-hash -f "$img/memory.aff4" -o export aff4.export --name physical.raw
vestige --no-hash -f "$img/memory.aff4" -o export aff4.export --stream "pagefile 0"
sha256sum export/physical.raw export/pagefile.sys
if disabled; then
    vestige -f export/physical.raw -o dump windows.procdump --pid "$pid"
else
    vestige -f "$img/memory.aff4" -o dump windows.procdump --pid "$pid"
fi
{ set +x; } 2>/dev/null
grep -q '^\* detail  *stream aff4://.*/PhysicalMemory/data .*, deflate *$' info.txt \
    || fail "evidence.info does not show a deflate-compressed PhysicalMemory/data stream"
grep -q '^pagefile (in evidence) *C:\\pagefile.sys .*page-file number 0 *$' info.txt \
    || fail "evidence.info does not show C:\\pagefile.sys from the volume wired to page-file number 0"
for f in image.raw:physical.raw pagefile.sys:pagefile.sys; do
    acquired=$(sha256sum "$img/${f%%:*}" | cut -d' ' -f1)
    exported=$(sha256sum "export/${f#*:}" | cut -d' ' -f1)
    [ "$acquired" = "$exported" ] || fail "export/${f#*:} has SHA-256 $exported, the acquired ${f%%:*} $acquired"
done
dump=$(sha256sum dump/*.img | cut -d' ' -f1)
[ "$dump" = "$original" ] || fail "notepad.exe dumped from the volume has SHA-256 $dump, not its executable's $original ($(grep -c ',missing,' dump/*.provenance.csv || true) pages missing)"
grep -q ',pagefile,' dump/*.provenance.csv || fail "no page of notepad.exe came from the volume's pagefile stream"
echo "scenario $scenario passed: memory and pagefile.sys exported with the acquired SHA-256s; notepad.exe (pid $pid) dumped byte-identical with the pagefile read from the volume"
