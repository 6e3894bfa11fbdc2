# Sourced by the scripts here: exports JAVA_HOME as a JDK >= 21 (JAVA_HOME if set, else the Temurin install
# this project's machines have), or stops with a message.
if [ -z "${JAVA_HOME:-}" ]; then
    for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
        [ -x "$candidate/bin/java" ] && export JAVA_HOME=$candidate && break
    done
fi
if [ -z "${JAVA_HOME:-}" ]; then
    echo "no JDK >= 21 found: install one (e.g. Temurin 21 or 25) and set JAVA_HOME" >&2
    exit 2
fi
