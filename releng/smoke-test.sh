#!/usr/bin/env bash
# Checks the built headless product the way an analyst uses it: the launcher script starts, lists the
# core and third-party plugins, hashes evidence exactly as coreutils does, and uses the documented
# exit codes. Run by the build (releng/org.vestige.product, verify phase) once the product exists.
set -euo pipefail
cd "$(dirname "$0")/.."
vestige=releng/org.vestige.product/target/products/org.vestige.headless/linux/gtk/x86_64/vestige/vestige
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
fail() { echo "smoke test FAILED: $*" >&2; exit 1; }
passed=0
check() { passed=$((passed + 1)); }

plugins=$("$vestige" plugins -r csv)
grep -q '^0,evidence.info,' <<<"$plugins" || fail "evidence.info is not listed"; check
grep -q '^0,example.entropy,' <<<"$plugins" || fail "the example bundle's plugin is not listed"; check

head -c 5000000 /dev/urandom > "$work/image.raw"
json=$("$vestige" -q -f "$work/image.raw" evidence.info -r json | head -n 1)
for tool in md5sum sha1sum sha256sum; do
  expected=$($tool "$work/image.raw" | cut -d' ' -f1)
  grep -q "\"$expected\"" <<<"$json" || fail "$tool digest $expected not reported: $json"; check
done

set +e
"$vestige" -f "$work/missing.raw" evidence.info 2>"$work/err"; code=$?
set -e
[ $code -eq 3 ] || fail "missing evidence exited $code, not 3"; check
grep -q "missing.raw: no such file" "$work/err" || fail "missing evidence not named: $(cat "$work/err")"; check
: > "$work/empty.raw"
set +e; "$vestige" -f "$work/empty.raw" evidence.info 2>"$work/err"; code=$?; set -e
[ $code -eq 3 ] || fail "empty evidence exited $code, not 3"; check
set +e; "$vestige" -f "$work/image.raw" evidence.inf 2>"$work/err"; code=$?; set -e
[ $code -eq 2 ] || fail "unknown plugin exited $code, not 2"; check
grep -q "did you mean evidence.info" "$work/err" || fail "no suggestion: $(cat "$work/err")"; check

# a compressed AFF4 volume reads without JVM or library warnings reaching the terminal
for i in $(seq 0 1023); do { yes "page $i" || true; } | head -c 4096; done > "$work/text.raw"
"$vestige" -q -f "$work/text.raw" -o "$work" aff4.convert --codec snappy --name text.aff4 >/dev/null 2>"$work/err" \
  || fail "aff4.convert failed: $(cat "$work/err")"
"$vestige" -q --no-hash -f "$work/text.aff4" -o "$work" aff4.export --name back.raw >/dev/null 2>"$work/err" \
  || fail "aff4.export failed: $(cat "$work/err")"
cmp -s "$work/text.raw" "$work/back.raw" || fail "the snappy volume did not read back byte for byte"; check
! grep -q "WARNING" "$work/err" || fail "warnings reached the terminal: $(cat "$work/err")"; check

# the SQLite case database: the bundled native library loads inside the product, and Debian's sqlite3 reads it
"$vestige" -q --no-hash -f "$work/image.raw" -r sqlite -o "$work/case.db" evidence.info example.entropy 2>"$work/err" \
  || fail "-r sqlite failed: $(cat "$work/err")"
[ "$(sqlite3 "$work/case.db" 'SELECT group_concat(plugin) FROM analyses')" = "evidence.info,example.entropy" ] \
  || fail "the case database does not list both analyses"; check
! grep -q "WARNING" "$work/err" || fail "warnings reached the terminal: $(cat "$work/err")"; check

echo "smoke: $passed passed, 0 failed"
