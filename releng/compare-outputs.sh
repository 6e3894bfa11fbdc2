#!/usr/bin/env bash
# Runs every Windows analysis on synthesized images of each build the synthesizer lays out, rendered
# as JSON, one file per build and analysis, so that two versions of Vestige can be compared with
# `diff -r` (for example before and after a refactoring that must not change behaviour).
#
#   releng/compare-outputs.sh PRODUCT_DIR OUT_DIR [IMAGES_DIR]
#
# IMAGES_DIR (default OUT_DIR/images) is reused when it already holds the images, so a second product
# is compared on the very same bytes. Each analysis's stderr goes beside its JSON (.err); written files
# are hashed into OUT_DIR/BUILD/files.sha256 with the output folder's path left out.
set -euo pipefail
usage="usage: compare-outputs.sh PRODUCT_DIR OUT_DIR [IMAGES_DIR]"
product=$(cd "${1:?$usage}" && pwd)
out=$(mkdir -p "${2:?$usage}" && cd "$2" && pwd)
images=${3:-$out/images}
mkdir -p "$images"
images=$(cd "$images" && pwd)
vestige="$product/vestige"
builds=(${BUILDS:-7601 17763 19041 22000 26100})
for b in "${builds[@]}"; do
  img="$images/$b"
  if [ ! -f "$img/image.raw" ]; then
    mkdir -p "$img"
    store=none; [ "$b" -ge 14393 ] && store=intact
    args=(synth --profile "$b" --seed 7 --size-mib 512 --hives true --compressed-store "$store")
    "$vestige" -q -o "$img" "${args[@]}" > /dev/null
    pid=$(python3 -c 'import json,sys; print(next(p["pid"] for p in json.load(open(sys.argv[1]))["processes"] if p["name"]=="notepad.exe"))' "$img/truth.json")
    "$vestige" -q -o "$img" "${args[@]}" --procdump "$pid" > /dev/null
    echo "$pid" > "$img/pid"
  fi
  pid=$(cat "$img/pid")
  dump=$(ls "$img"/*.dmp | head -1)
  o="$out/$b"; mkdir -p "$o/files"
  run() {
    local name=$1; shift
    local pagefile=(--pagefile "$img/pagefile.sys")
    [[ $name == *.nopagefile ]] && pagefile=()
    (cd "$o" && "$vestige" -q --no-hash -f "$img/image.raw" "${pagefile[@]}" -o "$o/files/$name" \
        -r json "$@" > "$o/$name.json" 2> "$o/$name.err") || echo "exit $?" >> "$o/$name.err"
  }
  for a in windows.info windows.pslist windows.pstree windows.psscan windows.cmdline windows.envars \
      windows.dlllist windows.modules windows.vadinfo windows.compressed.info windows.pagefile.info \
      windows.registry.hivelist windows.hashdump windows.lsadump evidence.info windows.handles windows.getsids \
      windows.privileges windows.threads windows.suspicious_threads windows.ldrmodules windows.svcscan \
      windows.filescan windows.netscan windows.netstat \
      windows.modscan windows.driverscan windows.ssdt; do
    run "$a" "$a"
  done
  run windows.memmap windows.memmap --pid "$pid"
  run windows.procdump windows.procdump --pid "$pid"
  run windows.memdump windows.memdump --pid "$pid"
  run windows.strings windows.strings --pid "$pid" --limit 2000
  run windows.minidump windows.minidump --pid "$pid"
  run windows.dumpdiff windows.dumpdiff --pid "$pid" --minidump "$dump"
  run windows.dumpfiles windows.dumpfiles --pid "$pid"
  run windows.registry.printkey windows.registry.printkey --key 'ControlSet001\Control\Lsa'
  run windows.cmdline.nopagefile windows.cmdline
  run windows.memmap.nopagefile windows.memmap --pid "$pid"
  run windows.procdump.nopagefile windows.procdump --pid "$pid"
  run windows.dumpfiles.nopagefile windows.dumpfiles --pid "$pid"
  run windows.dumpdiff.nopagefile windows.dumpdiff --pid "$pid" --minidump "$dump"
  run windows.compressed.info.nostore windows.compressed.info --no-compressed-store
  run windows.memmap.nostore windows.memmap --pid "$pid" --no-compressed-store
  (cd "$o/files" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum) > "$o/files.sha256"
  rm -rf "$o/files"
  sed -i "s|$o/files|OUT|g; s|$img|IMG|g" "$o"/*.json "$o"/*.err
done
echo "wrote $out"
