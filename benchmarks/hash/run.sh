#!/usr/bin/env bash
# Evidence hashing benchmark: MD5 + SHA-1 + SHA-256 of one file through Vestige (evidence.info, which
# hashes every evidence file when the case opens) against coreutils' sha256sum on the same file, with
# the file in the page cache for both. Prints wall time, throughput and CPU use (user+sys over wall:
# about 2.0 means both cores were busy).
#   benchmarks/hash/run.sh [SIZE_GIB]        (default 4; the file goes to $TMPDIR, deleted afterwards)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/java-home.sh
size_gib=${1:-4}
vestige=releng/org.vestige.product/target/products/org.vestige.headless/linux/gtk/x86_64/vestige/vestige
[ -x "$vestige" ] || ./mvnw -B -q verify -DskipTests
file=$(mktemp "${TMPDIR:-/tmp}/vestige-hash-bench.XXXXXX")
trap 'rm -f "$file"' EXIT
echo "writing ${size_gib} GiB of pseudo-random data to $file ..." >&2
head -c $((size_gib << 30)) /dev/urandom > "$file"
bytes=$(stat -c %s "$file")
cat "$file" > /dev/null   # warm the page cache

measure() { # label command...
  local label=$1 out
  shift
  out=$( { /usr/bin/time -f '%e %U %S' "$@" > /dev/null; } 2>&1 | tail -n 1)
  read -r wall user sys <<<"$out"
  awk -v l="$label" -v w="$wall" -v u="$user" -v s="$sys" -v b="$bytes" \
    'BEGIN { printf "%-38s %7.2f s  %8.1f MB/s  cpu %.2f cores\n", l, w, b / w / 1e6, (u + s) / w }'
}
measure "sha256sum (coreutils)" sha256sum "$file"
measure "md5sum (coreutils)" md5sum "$file"
measure "vestige: MD5+SHA-1+SHA-256 (whole run)" "$vestige" -q --no-cache -f "$file" evidence.info
measure "vestige startup only (--no-hash)" "$vestige" -q --no-cache -f "$file" --no-hash evidence.info
