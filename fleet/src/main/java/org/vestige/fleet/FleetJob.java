package org.vestige.fleet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The fleet application's entry point, for spark-submit or a plain {@code java} in local mode:
 *
 * <pre>
 * run   --manifest URI --output URI --product PATH --analysis 'PLUGIN [options]'... [--stack] [--few N]
 *       [--timeout-minutes N] [--product-jvm-opts OPTS] [--product-java-home JDK] [--master URL]
 * stack --output URI [--few N] [--master URL]
 * </pre>
 *
 * {@code run} runs every case of the manifest and writes the datasets (see {@link FleetRun}); with {@code --stack}
 * it runs the stacking queries on them afterwards, which {@code stack} runs alone on an earlier run's output.
 * {@code --master} is for runs without spark-submit (default {@code local[*]}). docs/fleet.md has the details.
 */
public final class FleetJob {

    private FleetJob() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length == 0 || !(args[0].equals("run") || args[0].equals("stack"))) {
            System.err.println("usage: FleetJob run --manifest URI --output URI --product PATH --analysis 'PLUGIN"
                    + " [options]'... [--stack] [--few N]\n       FleetJob stack --output URI [--few N]");
            System.exit(2);
        }
        Arguments a = new Arguments(Arrays.asList(args).subList(1, args.length));
        try (SparkSession spark = session("vestige-fleet", a.value("--master"))) {
            if (args[0].equals("run")) {
                FleetSettings settings = new FleetSettings(a.required("--product"), a.analyses(), a.required(
                        "--output"), Long.parseLong(a.valueOr("--timeout-minutes", "120")), a.value(
                                "--product-jvm-opts"), a.value("--product-java-home"));
                List<FleetCase> cases = Manifest.read(a.required("--manifest"), spark.sparkContext()
                        .hadoopConfiguration());
                List<CaseReport> reports = new FleetRun(spark, settings).run(cases);
                long failed = reports.stream().filter(r -> r.error() != null).count();
                System.err.println("vestige-fleet: " + reports.size() + " cases, " + failed + " with an error; datasets"
                        + " under " + settings.output());
                if (!a.flag("--stack")) {
                    return;
                }
            }
            Stacking stacking = new Stacking(spark, a.required("--output"));
            String few = a.value("--few");
            stacking.runAll(few == null ? stacking.defaultFew() : Long.parseLong(few));
        }
    }

    /**
     * @return a session with Spark's UI off and few shuffle partitions (the fleet's datasets are small next to its
     *         images); {@code master} is used only when spark-submit did not set one
     */
    public static SparkSession session(String name, String master) {
        SparkConf conf = new SparkConf().setAppName(name).setIfMissing("spark.ui.enabled", "false")
                .setIfMissing("spark.sql.shuffle.partitions", "4");
        if (!conf.contains("spark.master")) {
            conf.setMaster(master == null ? "local[*]" : master);
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /** The options of one command: {@code --name value} pairs, {@code --analysis} repeatable, flags. */
    private static final class Arguments {
        private final List<String> args;

        Arguments(List<String> args) {
            this.args = args;
        }

        String value(String name) {
            int i = args.lastIndexOf(name);
            if (i < 0) {
                return null;
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            return args.get(i + 1);
        }

        String valueOr(String name, String fallback) {
            String v = value(name);
            return v == null ? fallback : v;
        }

        String required(String name) {
            String v = value(name);
            if (v == null) {
                throw new IllegalArgumentException(name + " is required");
            }
            return v;
        }

        boolean flag(String name) {
            return args.contains(name);
        }

        /** @return each {@code --analysis 'PLUGIN options'}, split on white space */
        List<List<String>> analyses() {
            List<List<String>> out = new ArrayList<>();
            for (int i = 0; i < args.size() - 1; i++) {
                if (args.get(i).equals("--analysis")) {
                    out.add(List.of(args.get(i + 1).strip().split("\\s+")));
                }
            }
            return out;
        }
    }
}
