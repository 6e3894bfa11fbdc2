#!/usr/bin/env bash
# Takes the documentation's screenshot of each workbench view (Evidence, Processes, Analyses, Results,
# Memory, Timeline) on the README's example image, and of the New Collection Kit wizard's review page, under Xvfb,
# into docs/images/view-*.png and wizard-*.png. The test that drives
# the views (tests/org.vestige.windows.ui.tests ViewScreenshots) also checks what it photographs.
#   releng/screenshots.sh [OUTDIR]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/java-home.sh
out=$(readlink -f "${1:-docs/images}")
./mvnw -B -q install -DskipTests
scripts/with-env.sh ./mvnw -B -q verify -pl tests/org.vestige.windows.ui.tests -Dtest='ViewScreenshots,CollectionKitWizardTest' \
  -Dsurefire.failIfNoSpecifiedTests=false -Dvestige.screenshots="$out"
ls -l "$out"/view-*.png "$out"/wizard-*.png
