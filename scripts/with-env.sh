#!/usr/bin/env bash
# Runs a command in the environment Vestige's build needs: installs the missing Debian packages
# (scripts/install-deps.sh), exports JAVA_HOME as a JDK 21 or newer (scripts/java-home.sh), and
# gives the command an X server (Xvfb) for the workbench's UI tests when there is no display.
#   scripts/with-env.sh ./mvnw -B verify
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
source scripts/java-home.sh
echo "JDK: $JAVA_HOME" >&2
if [ -z "${DISPLAY:-}" ] && command -v xvfb-run >/dev/null; then
  exec xvfb-run -a -s "-screen 0 1280x1024x24" "$@"
fi
exec "$@"
