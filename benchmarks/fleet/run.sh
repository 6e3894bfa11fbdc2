#!/usr/bin/env bash
# The fleet job (fleet/, Spark local[2]) against the same analyses image by image with the CLI: N synthetic
# images of SIZE MiB (builds 7601, 17763, 19041, 22000 and 26100 in turn, hives loaded, pagefile.sys beside
# each), windows.pslist, windows.dlllist, windows.registry.hivelist and windows.svcscan on each (the fleet's
# launches also run evidence.info and windows.info for the cases dataset, and so does the CLI loop here). Each
# side is timed as a whole process by farm-bench, in turn, with the A/B ratio taken pair by pair:
#   A: java -cp fleet+Spark org.vestige.fleet.FleetJob run --master local[2] ... (Spark on Java 17)
#   B: for each image: vestige -f IMAGE --pagefile pagefile.sys -r json --save evidence.info windows.info ...
# Images are dense (free memory filled as a running machine leaves it), read once before timing.
#   benchmarks/fleet/run.sh [N] [SIZE_MIB] [RUNS]     (default 8 images of 1024 MiB, 3 runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
source scripts/java-home.sh
n=${1:-8}; size=${2:-1024}; runs=${3:-3}
spark_java=${SPARK_JAVA:-/usr/lib/jvm/java-17-openjdk-amd64/bin/java}
vestige=$root/releng/org.vestige.product/target/products/org.vestige.headless/linux/gtk/x86_64/vestige/vestige
[ -x "$vestige" ] || ./mvnw -B -q verify -DskipTests
[ -d fleet/target/classes/org ] || ./mvnw -B -q compile -pl fleet
work=$(mktemp -d "${TMPDIR:-/tmp}/vestige-fleet.XXXXXX"); trap 'rm -rf "$work"' EXIT
# the plugin version is named: its prefix cannot be resolved without the plugin group metadata
./mvnw -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath -pl fleet -Dmdep.includeScope=provided -Dmdep.outputFile="$work/cp.txt" \
  > /dev/null
builds=(7601 17763 19041 22000 26100)
echo "case_id,image,pagefile" > "$work/manifest.csv"
for i in $(seq "$n"); do
  build=${builds[$(( (i - 1) % ${#builds[@]} ))]}
  "$vestige" -q -o "$work/img$i" synth --profile "$build" --seed "$i" --size-mib "$size" --hives > /dev/null 2>&1
  cat "$work/img$i/image.raw" "$work/img$i/pagefile.sys" > /dev/null
  echo "machine$i,$work/img$i/image.raw,$work/img$i/pagefile.sys" >> "$work/manifest.csv"
done
echo "images: $n x $(du -h --apparent-size "$work/img1/image.raw" | cut -f1) ($(du -sh "$work" | cut -f1) on disk in all)"
analyses=(windows.pslist windows.dlllist windows.registry.hivelist windows.svcscan)
opens="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED"
fleet_args=()
for a in "${analyses[@]}"; do fleet_args+=(--analysis "$a"); done
cat > "$work/spark.sh" <<SPARK
#!/usr/bin/env bash
exec "$spark_java" -Xmx1g $(echo $opens) -cp "$root/fleet/target/classes:\$(cat "$work/cp.txt")" \
  org.vestige.fleet.FleetJob run --master 'local[2]' --manifest "$work/manifest.csv" --output "$work/out" \
  --product "$vestige" ${fleet_args[*]} > /dev/null 2> "$work/spark.log"
SPARK
cat > "$work/cli.sh" <<CLI
#!/usr/bin/env bash
set -e
tail -n +2 "$work/manifest.csv" | while IFS=, read -r id image pagefile; do
  rm -rf "$work/cli"
  "$vestige" -q --no-cache -f "\$image" --pagefile "\$pagefile" -o "$work/cli" -r json --save evidence.info windows.info \
    ${analyses[*]} > /dev/null 2>&1 || true
done
CLI
chmod +x "$work/spark.sh" "$work/cli.sh"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
farm-bench -n "$runs" --warmup 0 --timeout 3600 --vs "$work/cli.sh" -- "$work/spark.sh"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "stacking the fleet job's output (FleetJob stack):"
"$spark_java" $(echo $opens) -cp "$root/fleet/target/classes:$(cat "$work/cp.txt")" org.vestige.fleet.FleetJob stack \
  --master 'local[1]' --output "$work/out" 2> "$work/stack.log" | head -n 40 || tail -n 20 "$work/stack.log"
