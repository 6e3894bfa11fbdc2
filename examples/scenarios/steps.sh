# The steps scenarios 1, 2 and 6 share (sourced after lib.sh): a process dump of notepad.exe checked against
# its executable, and a hashdump checked against the accounts the synthesizer placed. Options in the array
# `evidence` (e.g. --symbols FILE) go to every run.
evidence=()

# procdump_of_notepad IMG OPTION...: dumps notepad.exe without the paging file, then with the options given
# (--pagefile IMG/pagefile.sys, ...) and checks that dump against the executable's SHA-256.
procdump_of_notepad() {
    local img=$1; shift
    local pid original paged missing named dump from
    pid=$(truth "$img" '.processes[] | select(.name == "notepad.exe") | .pid')
    original=$(truth "$img" '.processes[] | select(.name == "notepad.exe") | .imageSha256')
    set -x
    vestige -f "$img/image.raw" "${evidence[@]}" -o without windows.procdump --pid "$pid"
    vestige -f "$img/image.raw" "${evidence[@]}" "$@" -o with windows.procdump --pid "$pid"
    sha256sum with/*.img
    awk -F, 'NR == 1 || $3 != "ram"' with/*.img.provenance.csv
    { set +x; } 2>/dev/null
    paged=$(truth "$img" '[.processes[] | select(.name == "notepad.exe") | .imagePages[]
        | select(.module == "notepad.exe" and .kind == "pagefile")] | length')
    missing=$(grep -c ',missing,' without/*.provenance.csv || true)
    [ "$paged" -gt 0 ] || fail "the image has no page of notepad.exe in pagefile.sys"
    named=$(grep -c 'paged out to pagefile.sys' without/*.provenance.csv || true)
    [ "$named" = "$paged" ] || fail "without the paging file $named pages are listed as paged out to pagefile.sys, not the $paged the image has there ($missing missing in all)"
    dump=$(sha256sum with/*.img | cut -d' ' -f1)
    [ "$dump" = "$original" ] || fail "the dump's SHA-256 $dump is not the executable's $original ($(grep -c ',missing,' with/*.provenance.csv || true) pages missing: $(grep ',missing,' with/*.provenance.csv | head -3 | tr '\n' ' '))"
    from=$(grep -c ',pagefile,' with/*.provenance.csv || true)
    [ "$from" = "$paged" ] || fail "$from pages of the dump came from pagefile.sys, not $paged"
    echo "notepad.exe (pid $pid): the dump is byte-identical to the executable (SHA-256 $dump); $paged pages came from pagefile.sys, $(grep -c ',compressed,' with/*.provenance.csv || true) from the compressed store"
}

# hashdump_from_store IMG [OPTION...]: hashdump with the store switched off (it must print no hash and name
# the SAM's compressed pages), then with the options given (it must print every account's hashes).
hashdump_from_store() {
    local img=$1; shift
    set -x
    vestige -f "$img/image.raw" "${evidence[@]}" --pagefile "$img/pagefile.sys" --no-compressed-store windows.hashdump 2> off.err \
        | tee off.out
    cat off.err
    vestige -f "$img/image.raw" "${evidence[@]}" --pagefile "$img/pagefile.sys" "$@" windows.hashdump | tee on.out
    { set +x; } 2>/dev/null
    local expected line blocks named va
    expected=$(truth "$img" '.hives.accounts[].hashdump')
    [ -n "$expected" ] || fail "the image has no SAM accounts in truth.json"
    while read -r line; do
        ! grep -qF "$line" off.out || fail "with --no-compressed-store a hash was printed: $line"
        grep -qF "$line" on.out || fail "hashdump did not print $line"
    done <<<"$expected"
    blocks=$(truth "$img" '.hives.hives[] | select(.name | ascii_upcase | endswith("\\SAM")) | .displaced[]
        | select(.destination == "COMPRESSED") | .va')
    [ -n "$blocks" ] || fail "none of the SAM's pages are in the compressed store"
    named=0
    for va in $blocks; do
        grep -q "virtual $va: compressed, store reading disabled" off.err && named=$((named + 1))
    done
    [ "$named" = "$(wc -w <<<"$blocks")" ] || fail "with --no-compressed-store only $named of the SAM's $(wc -w <<<"$blocks") compressed pages were named"
    echo "hashdump: $(wc -l <<<"$expected") accounts' hashes read from the SAM's $named compressed pages; with --no-compressed-store none, each page named"
}
