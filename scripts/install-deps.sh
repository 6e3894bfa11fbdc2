#!/usr/bin/env bash
# Installs the Debian packages Vestige's build, UI tests and screenshots need, when they are missing:
# an X server for headless UI tests (Xvfb), GTK 3 for SWT, fonts, ImageMagick for screenshots, GNU time for
# the benchmarks, and independent readers the tests compare against when present: lldb (minidumps),
# libregf-utils (regfexport) and python3-impacket (secretsdump), sleuthkit (mactime) and sqlite3; libcapstone4,
# the disassembler windows.malfind calls through JNA, and libyara9, the YARA engine the yarascan analyses call;
# Java 17, the JVM the fleet module's Spark test runs in (Spark 4.1's Hadoop client fails on Java 23+); and jq,
# which the runnable scenarios (examples/scenarios) read the analyses' JSON with.
# The build's own JDK (21+) and Maven are not installed here: the Maven wrapper fetches Maven, scripts/java-home.sh
# finds a JDK.
set -euo pipefail
packages=(xvfb xauth libgtk-3-0 fonts-dejavu-core imagemagick time lldb libregf-utils python3-impacket sleuthkit sqlite3
  libcapstone4 libyara9 openjdk-17-jdk-headless jq)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "missing Debian packages: ${missing[*]} (run this script as root to install them)" >&2; exit 1; fi
else SUDO=; fi
echo "installing Debian packages: ${missing[*]}" >&2
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
