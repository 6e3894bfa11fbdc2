#!/usr/bin/env bash
# Photographs a scenario's case in the workbench, as open-in-workbench.sh opens it (run the scenario first: it
# lays out the image), under Xvfb in a workspace of its own, into OUT (docs/images/scenario-NN-memory.png).
#   screenshot.sh NN-name OUT.png
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
name=${1:?usage: screenshot.sh NN-name OUT.png}; out=$(readlink -f "$(dirname "${2:?usage: screenshot.sh NN-name OUT.png}")")/$(basename "$2")
command -v Xvfb > /dev/null && command -v import > /dev/null || { echo "needs Xvfb and ImageMagick's import" >&2; exit 2; }
work=$(mktemp -d)
app=; xvfb=
finish() {
  kill $app 2> /dev/null && { wait $app 2> /dev/null || true; }
  kill $xvfb 2> /dev/null || true
  rm -rf "$work" || true
}
trap finish EXIT
display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp > "$work/xvfb.log" 2>&1 & xvfb=$!
sleep 1
DISPLAY=$display "$here/open-in-workbench.sh" "$name" -configuration "$work/configuration" -data "$work/workspace" \
  -clearPersistedState > "$work/app.log" 2>&1 & app=$!
for _ in $(seq 1 120); do
  DISPLAY=$display xwininfo -root -tree 2> /dev/null | grep -q 'Vestige' && break
  sleep 0.5
done
# the case opens, the Memory view reads its page: give it time to settle
sleep "${SETTLE_SECONDS:-12}"
# the workbench's window, without the screen around it
DISPLAY=$display import -window root -trim +repage "$out"
echo "wrote $out" >&2
