#!/usr/bin/env bash
# Takes the documentation's screenshot of each workbench view (Evidence, Processes, Analyses, Results,
# Memory and its hex search, Compare, Timeline) on the README's example image, and of the New Collection Kit
# wizard's review page, under Xvfb, into docs/images/view-*.png and wizard-*.png; and of the case report the
# views' test writes (a bookmarked finding, the compare screenshot attached), photographed by a headless
# Chromium (the Debian package chromium) into report.png. The test that drives the views
# (tests/org.vestige.windows.ui.tests ViewScreenshots) also checks what it photographs.
#   releng/screenshots.sh [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-home.sh
out=$(readlink -f "${1:-docs/images}")
./mvnw -B -q install -DskipTests
scripts/with-env.sh ./mvnw -B -q verify -pl tests/org.vestige.windows.ui.tests -Dtest='ViewScreenshots,CollectionKitWizardTest' \
  -Dsurefire.failIfNoSpecifiedTests=false -Dvestige.screenshots="$out"
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -n "$browser" ]; then
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1280,1400 \
    --screenshot="$out/report.png" "file://$out/report.html" 2> /dev/null
else
  echo "no chromium: report.png not retaken (apt-get install chromium)" >&2
fi
rm -rf "$out/report.html" "$out/report-files"
ls -l "$out"/view-*.png "$out"/wizard-*.png "$out"/help-*.png "$out"/report.png
