#!/usr/bin/env bash
# Seeds the fuzzing corpus (.cifuzz-corpus/, ignored by git) for every target:
#   - synthetic inputs made by Vestige's own writers (AFF4 volumes, kernel crash dumps, VMware state files,
#     a hibernation file, a hive), written by the SeedCorpus class;
#   - the real samples in ../shared/testdata (AFF4 volumes and their information.turtle, minidumps, the
#     triage crash dump, registry hives, the MSVC PDBs) and a cut-down ISF profile from ../shared/profiles, copied whole
#     when small and as a prefix when large, so that mutation stays fast.
# Without ../shared (SHARED=path overrides it) only the synthetic seeds are written.
#
#   ./seed-corpus.sh
set -euo pipefail
cd "$(dirname "$0")"
source ../java-env.sh
SHARED=${SHARED:-$(cd ../../.. && pwd)/shared}
CORPUS=$PWD/.cifuzz-corpus
PREFIX=$((64 * 1024))
PROFILE=$SHARED/profiles/isf/win10_x64_19041.json.xz

dir() {
    mkdir -p "$CORPUS/org.vestige.fuzz.$1/$2"
    echo "$CORPUS/org.vestige.fuzz.$1/$2"
}

# seed TARGET METHOD NAME FILE: copies FILE, or its first $PREFIX bytes when it is larger
seed() {
    head -c "$PREFIX" "$4" >"$(dir "$1" "$2")/$3"
}

mvn -q -B test-compile
props=()
[ -f "$PROFILE" ] && props=(-Dseed.profile="$PROFILE")
mvn -q -B -o surefire:test -Dtest=SeedCorpus -Dseed.corpus="$CORPUS" "${props[@]}" >/dev/null
echo "synthetic seeds written"

if [ ! -d "$SHARED/testdata" ]; then
    echo "no $SHARED/testdata: only synthetic seeds (set SHARED to the folder that holds testdata/)" >&2
    exit 0
fi
T=$SHARED/testdata
for f in "$T"/aff4/*.aff4; do
    name=$(basename "$f" .aff4)
    # zip readers need the central directory at the end: only small volumes are seeds whole
    if [ "$(stat -c %s "$f")" -le "$PREFIX" ]; then
        seed Aff4VolumeFuzzTest open "$name" "$f"
        seed ZipContainerFuzzTest open "$name" "$f"
    fi
    python3 - "$f" "$(dir TurtleFuzzTest parse)/$name" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    if "information.turtle" in z.namelist():
        open(sys.argv[2], "wb").write(z.read("information.turtle")[:65536])
PY
done
for f in "$T"/minidump/*.dmp; do
    seed MinidumpFuzzTest open "$(basename "$f")" "$f"
done
for f in "$T"/crashdump/*.dmp; do
    seed CrashDumpFuzzTest open "$(basename "$f")" "$f"
done
for f in "$T"/registry/*.xz; do
    xz -dc "$f" | head -c "$PREFIX" >"$(dir HiveFuzzTest walk)/$(basename "$f" .xz)" || true
done
for f in "$T"/pdb/*.pdb; do
    # whole files: a PDB's stream directory and streams lie anywhere in it, so a prefix reads as truncated
    cp "$f" "$(dir PdbFuzzTest read)/$(basename "$f")"
done
echo "seeded from $T"
for d in "$CORPUS"/org.vestige.fuzz.*/*; do
    printf '%-44s %3d inputs\n' "${d#"$CORPUS"/org.vestige.fuzz.}" "$(find "$d" -type f | wc -l)"
done
