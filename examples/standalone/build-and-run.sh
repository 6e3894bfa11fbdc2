#!/usr/bin/env bash
# Builds windows.suspicious the way a third party does -- against Vestige's published p2 update site,
# not Vestige's reactor --, installs it with the p2 director into a copy of the Vestige product, and
# runs it through the product's `vestige` launcher on a synthetic Windows 10 image whose processes
# are a clean machine's but for the injected code the synthesizer plants (private executable memory
# a thread starts in). Fails when the plugin is not listed, when it does not report every process, or
# when its findings are not exactly the planted regions, or when windows.timeliner does not show the creation
# times it contributes.
#
#   examples/standalone/build-and-run.sh [--offline[=true|false]]
#
# VESTIGE_REPOSITORY  Vestige's update site (default: the one a build of this repository leaves in
#                     releng/org.vestige.product/target/repository; a release's https: URL works too)
# VESTIGE_PRODUCT     the Vestige installation to install into; it is copied, never changed (default:
#                     the headless product of that build)
# Everything it writes goes to examples/standalone/target/.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$root/scripts/java-home.sh"
mvn=("$root/mvnw" -B -ntp)
case "${1:-}" in
  --offline | --offline=true) mvn+=(-o) ;;             # Maven offline, as the build that runs this may be
  "" | --offline=false) ;;
  *) echo "usage: $0 [--offline[=true|false]]" >&2; exit 2 ;;
esac

site=$root/releng/org.vestige.product/target/repository
repository=${VESTIGE_REPOSITORY:-file://$site}
product=${VESTIGE_PRODUCT:-$root/releng/org.vestige.product/target/products/org.vestige.headless/linux/gtk/x86_64/vestige}
if [ -z "${VESTIGE_REPOSITORY:-}" ] && [ ! -f "$site/content.jar" ]; then
  echo "building Vestige's update site and product first (./mvnw -B -q install -DskipTests)..." >&2
  (cd "$root" && "${mvn[@]}" -q install -DskipTests)
fi
[ -x "$product/vestige" ] || { echo "no Vestige product at $product (set VESTIGE_PRODUCT)" >&2; exit 2; }

fail() { echo "standalone example FAILED: $*" >&2; exit 1; }

echo "== building org.example.suspicious against $repository" >&2
(cd "$here" && "${mvn[@]}" -q clean verify -Dvestige.repository="$repository")
out=$here/target
mkdir -p "$out"

echo "== installing it into a copy of $product with the p2 director" >&2
cp -r "$product" "$out/vestige"
(cd "$here" && "${mvn[@]}" -q -N org.eclipse.tycho:tycho-p2-director-plugin:5.0.2:director \
  -Ddestination="$out/vestige" -Dprofile=DefaultProfile \
  -Drepositories="file://$here/org.example.suspicious.site/target/repository,$repository" \
  -DinstallIUs=org.example.suspicious.feature.feature.group)
vestige=$out/vestige/vestige

"$vestige" plugins -r csv | grep -q '^0,windows.suspicious,' || fail "windows.suspicious is not listed by vestige plugins"
"$vestige" help windows.suspicious

image=$out/image
if [ ! -f "$image/image.raw" ]; then
  echo "== synthesizing a Windows 10 (19041) image into $image" >&2
  "$vestige" -q -o "$image" synth --profile 19041 --seed 1 --size-mib 256 > /dev/null
fi
set -x
"$vestige" -q --no-hash -f "$image/image.raw" --pagefile "$image/pagefile.sys" windows.suspicious | tee "$out/suspicious.txt"
{ set +x; } 2>/dev/null

csv=$("$vestige" -q --no-hash -f "$image/image.raw" --pagefile "$image/pagefile.sys" windows.suspicious -r csv)
processes=$("$vestige" -q --no-hash -f "$image/image.raw" windows.pslist -r csv | grep -c '^0,')
checked=$(grep -c '^0,' <<<"$csv")
[ "$checked" -eq "$processes" ] || fail "$checked processes checked, but windows.pslist lists $processes"
# the synthesizer plants private executable memory — injected code, a hollowed image range, a region a thread
# starts in (truth.json: "planted":true with its "vadStart"):
# each planted region must be flagged, and nothing else
planted=$(grep -o '"planted":true,"vadStart":"0x[0-9a-f]*"' "$image/truth.json" | sed 's/.*"vadStart":"//; s/"$//' | sort -u)
[ -n "$planted" ] || fail "the synthetic image's truth plants no private executable memory"
flagged=$(grep '^1,' <<<"$csv" || true)
for va in $planted; do
  grep -q "private executable memory $va-" <<<"$flagged" || fail "the planted region at $va was not flagged: $flagged"
done
unexpected=$(grep -v -F "$(for va in $planted; do echo "private executable memory $va-"; done)" <<<"$flagged" || true)
[ -z "$unexpected" ] || fail "findings beyond the planted ones on the synthetic image: $unexpected"
pid_of() { awk -F, -v n="$1" '$1 == 0 && $4 == n { print $2; exit }' <<<"$csv"; }
lsass_pid=$(pid_of lsass.exe); wininit_pid=$(pid_of wininit.exe)
[ -n "$lsass_pid" ] && [ -n "$wininit_pid" ] || fail "lsass.exe or wininit.exe is missing from the processes checked"
lsass=$("$vestige" -q --no-hash -f "$image/image.raw" windows.suspicious --pid "$lsass_pid" --memory false -r csv | grep '^0,')
grep -q "^0,$lsass_pid,$wininit_pid,lsass.exe,wininit.exe," <<<"$lsass" ||
  fail "--pid $lsass_pid does not give lsass.exe under wininit.exe: $lsass"
# the analysis declares <timeline/> and a time column with a meaning: windows.timeliner must show when each
# flagged process was created, and no other time of windows.suspicious
started=$(awk -F, '{ sub(/\r$/, "") } $1 == 0 && $NF != "" { print $NF "|PID=" $2 }' <<<"$csv" | sort)
[ -n "$started" ] || fail "windows.suspicious gave no creation time of a flagged process"
timeline=$("$vestige" -q --no-hash -f "$image/image.raw" --pagefile "$image/pagefile.sys" windows.timeliner -r csv)
contributed=$(awk -F, '{ sub(/\r$/, "") } $4 == "windows.suspicious" && $3 == "created" { split($5, o, " "); print $2 "|" o[1] }' <<<"$timeline" | sort)
[ "$contributed" = "$started" ] || fail "the timeline's windows.suspicious times ($contributed) are not the flagged processes' ($started)"
echo "standalone example: windows.suspicious built against the update site, installed, listed, and checked $checked processes: the planted private executable memory flagged, nothing else; the flagged processes' creation times are on the timeline"
