#!/usr/bin/env bash
# Builds Vestige and runs every test (JUnit 4 inside OSGi through tycho-surefire), then smoke-tests the
# headless product. Test data beside the project (../shared/testdata) is used when present; tests that
# need it skip with a message otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
source scripts/java-home.sh
echo "JDK: $JAVA_HOME" >&2
run=(./mvnw -B verify "$@")
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
  run=(xvfb-run -a -s "-screen 0 1280x1024x24" "${run[@]}")
fi
"${run[@]}"
bash releng/smoke-test.sh
