#!/usr/bin/env bash
# Starts the Vestige workbench under Xvfb on an image, runs an analysis, and saves a screenshot.
#   releng/screenshot.sh IMAGE PLUGIN OUT.png
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-home.sh
image=$(readlink -f "$1"); plugin=$2; out=$(readlink -f "$(dirname "$3")")/$(basename "$3")
product=releng/org.vestige.product/target/products/org.vestige.workbench/linux/gtk/x86_64/vestige-workbench
work=$(mktemp -d); trap 'kill $app $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
display=:$((90 + RANDOM % 9))
Xvfb $display -screen 0 1280x800x24 -nolisten tcp > "$work/xvfb.log" 2>&1 & xvfb=$!
sleep 1
DISPLAY=$display "$JAVA_HOME/bin/java" -jar "$product"/plugins/org.eclipse.equinox.launcher_*.jar \
  -configuration "$work/configuration" -data "$work/workspace" -clearPersistedState \
  --evidence "$image" --run "$plugin" > "$work/app.log" 2>&1 & app=$!
for _ in $(seq 1 60); do
  DISPLAY=$display xwininfo -root -tree 2>/dev/null | grep -q 'Vestige' && break
  sleep 0.5
done
sleep "${SETTLE_SECONDS:-6}"
DISPLAY=$display import -window root "$out"
echo "wrote $out" >&2
