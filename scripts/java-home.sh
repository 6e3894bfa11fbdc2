#!/usr/bin/env bash
# Sourced by Vestige's scripts: exports JAVA_HOME as a JDK 21 or newer (Tycho 5 and the Eclipse 4.41
# bundles need it). Takes JAVA_HOME when it is new enough, else the newest JDK under /usr/lib/jvm.
# a JDK's major version from its release file (no JVM started), else from the JVM itself
vestige_java_major() {
  local v=""
  [ -r "$1/release" ] && v=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release")
  [ -n "$v" ] || v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  echo "$v"
}

vestige_find_jdk() {
  local candidate major best="" best_major=0
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(vestige_java_major "$candidate")
    major=${major%%.*}
    [ -n "$major" ] || continue
    if [ "$candidate" = "${JAVA_HOME:-}" ] && [ "$major" -ge 21 ]; then best=$candidate; break; fi
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then best=$candidate; best_major=$major; fi
  done
  [ -n "$best" ] || { echo "Vestige needs a JDK 21 or newer (found none in JAVA_HOME or /usr/lib/jvm)." >&2
    echo "Install one, e.g. Eclipse Temurin 21 or 25, and set JAVA_HOME to it." >&2; return 1; }
  export JAVA_HOME=$best
  export PATH="$JAVA_HOME/bin:$PATH"
}
vestige_find_jdk
