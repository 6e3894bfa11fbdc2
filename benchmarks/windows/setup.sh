# Sourced by a Windows benchmark as `source "$(dirname "$0")/setup.sh" NAME "$@"`: moves to the repository
# root, finds the JDK, reads [SIZE_MIB] [RUNS] (default 4096 MiB, 5 runs) into $size and $runs, builds the
# product when $vestige is missing, and gives a temporary folder $work that is removed on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
source scripts/java-home.sh
bench=$1
size=${2:-4096}; runs=${3:-5}
vestige=releng/org.vestige.product/target/products/org.vestige.headless/linux/gtk/x86_64/vestige/vestige
[ -x "$vestige" ] || ./mvnw -B -q verify -DskipTests
work=$(mktemp -d "${TMPDIR:-/tmp}/vestige-$bench.XXXXXX"); trap 'rm -rf "$work"' EXIT
