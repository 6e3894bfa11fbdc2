# Shared by the scenarios' run.sh: where the product is, where images are laid out, how a check fails.
# A scenario sources it, names itself in $scenario, and uses:
#   layout DIR ARGS...  runs `vestige -o $cache/DIR ARGS...` once; later runs reuse what it wrote
#   fail MESSAGE        exits 1 naming the scenario and what differed
#   disabled            true when SCENARIO_DISABLE=1: the check step runs with the key capability off
# Environment: VESTIGE (the launcher; default: the product built in this repository), SCENARIO_CACHE
# (where images are laid out; default examples/scenarios/.cache), SCENARIO_DISABLE.
set -euo pipefail
scenarios=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$scenarios/../.." && pwd)
VESTIGE=${VESTIGE:-$repo/releng/org.vestige.product/target/products/org.vestige.headless/linux/gtk/x86_64/vestige/vestige}
cache=${SCENARIO_CACHE:-$scenarios/.cache}
[ -x "$VESTIGE" ] || { echo "no vestige launcher at $VESTIGE: build the product (./mvnw verify) or set VESTIGE" >&2; exit 2; }
fail() { echo "scenario ${scenario:-?} FAILED: $*" >&2; exit 1; }
disabled() { [ "${SCENARIO_DISABLE:-0}" = 1 ]; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
# `vestige` on the PATH, so the commands traced by set -x read as a user types them
mkdir "$work/bin"; ln -s "$(readlink -f "$VESTIGE")" "$work/bin/vestige"; PATH=$work/bin:$PATH

# The installed product's bundles key the cache: a rebuilt product lays images out again.
product_key() { ls "$(dirname "$(readlink -f "$VESTIGE")")/plugins" 2>/dev/null | grep -E 'org\.vestige\.(synth|plugin\.synth|layer\.aff4)_' | tr '\n' ' '; }

layout() {
    local dir=$cache/$1; shift
    local key; key="$* | $(product_key)"
    if [ -f "$dir/.layout" ] && [ "$(cat "$dir/.layout")" = "$key" ]; then
        return 0
    fi
    rm -rf "$dir"; mkdir -p "$dir"
    { set +x; } 2>/dev/null
    echo "laying out $dir: vestige -o $dir $*" >&2
    vestige -q --no-hash -o "$dir" "$@" > "$dir/.layout.out" || fail "laying out the image failed: vestige $*"
    printf '%s' "$key" > "$dir/.layout"
}

command -v jq > /dev/null || { echo "the scenarios read truth.json with jq: install it (apt-get install jq)" >&2; exit 2; }

# truth DIR FILTER: a jq query on what the synthesizer recorded in DIR/truth.json
truth() { jq -r "$2" "$1/truth.json"; }

# The Windows 10 2004 (19041) image scenarios 1, 3, 4 (switched off) and 5 share, laid out once with a
# ProcDump -ma minidump of notepad.exe beside it; prints its folder.
windows10_image() {
    layout windows-10-19041 synth --profile 19041 --seed 1 --size-mib 128 --svchosts 2 --procdump notepad.exe
    echo "$cache/windows-10-19041"
}
