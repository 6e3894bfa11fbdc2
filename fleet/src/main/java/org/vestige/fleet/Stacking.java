package org.vestige.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;

/**
 * Ready queries stacking a fleet's results to find the outliers, over the Parquet datasets a run wrote (the
 * SQL is in docs/fleet.md, to run in any engine that reads Parquet):
 * <ul>
 * <li>{@link #processNames}: every process name with the number of machines running it, rarest first
 * (windows.pslist);</li>
 * <li>{@link #rareServices}: services present on few machines (windows.svcscan);</li>
 * <li>{@link #unusualParents}: parent and child process names seen together on few machines (windows.pslist,
 * the child's PPID joined to the parent's PID on the same machine).</li>
 * </ul>
 * "Few" is a number of machines; by default 5% of the fleet, at least 1.
 */
public final class Stacking {

    /** Process names by the number of machines running them. */
    public static final String PROCESS_NAMES = """
            SELECT ImageFileName AS name, COUNT(DISTINCT case_id) AS machines, COUNT(*) AS processes
            FROM pslist GROUP BY ImageFileName ORDER BY machines, name""";
    /** Services present on at most {@code %d} machines. */
    public static final String RARE_SERVICES = """
            SELECT ServiceName AS service, COUNT(DISTINCT case_id) AS machines,
                   sort_array(collect_set(case_id)) AS cases
            FROM svcscan GROUP BY ServiceName HAVING COUNT(DISTINCT case_id) <= %d ORDER BY machines, service""";
    /** Parent and child process names seen together on at most {@code %d} machines. */
    public static final String UNUSUAL_PARENTS = """
            SELECT p.ImageFileName AS parent, c.ImageFileName AS child, COUNT(DISTINCT c.case_id) AS machines,
                   sort_array(collect_set(c.case_id)) AS cases
            FROM pslist c JOIN pslist p ON c.case_id = p.case_id AND c.PPID = p.PID
            GROUP BY p.ImageFileName, c.ImageFileName HAVING COUNT(DISTINCT c.case_id) <= %d
            ORDER BY machines, parent, child""";

    private final SparkSession spark;
    private final String output;

    /** Queries over the datasets under {@code output}; registers the views {@code pslist} and {@code svcscan}. */
    public Stacking(SparkSession spark, String output) {
        this.spark = spark;
        this.output = output;
        view("windows.pslist", "pslist");
        view("windows.svcscan", "svcscan");
    }

    /** Registers a dataset as a view, when the run wrote it (a run that did not ask for the analysis has none). */
    private void view(String dataset, String name) {
        Path path = new Path(output, dataset);
        try {
            if (path.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(path)) {
                spark.read().parquet(path.toString()).createOrReplaceTempView(name);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
    }

    private boolean has(String view) {
        return spark.catalog().tableExists(view);
    }

    /** @return the default number of machines that counts as few: 5% of the fleet, at least 1 */
    public long defaultFew() {
        long machines = has("pslist") ? spark.sql("SELECT COUNT(DISTINCT case_id) FROM pslist").first().getLong(0) : 0;
        return Math.max(1, Math.round(machines * 0.05));
    }

    /** @return process names by the number of machines running them, rarest first */
    public Dataset<Row> processNames() {
        return spark.sql(PROCESS_NAMES);
    }

    /** @return services present on at most {@code few} machines */
    public Dataset<Row> rareServices(long few) {
        return spark.sql(RARE_SERVICES.formatted(few));
    }

    /** @return parent and child names seen together on at most {@code few} machines */
    public Dataset<Row> unusualParents(long few) {
        return spark.sql(UNUSUAL_PARENTS.formatted(few));
    }

    /**
     * Runs every query whose dataset the run wrote, writes each result to {@code OUTPUT/stack/NAME} as Parquet and
     * prints its first rows.
     */
    public void runAll(long few) {
        if (has("pslist")) {
            save("process-names", processNames());
            save("unusual-parents", unusualParents(few));
        } else {
            System.err.println("vestige-fleet: no windows.pslist dataset under " + output
                    + ": process stacking skipped");
        }
        if (has("svcscan")) {
            save("rare-services", rareServices(few));
        } else {
            System.err.println("vestige-fleet: no windows.svcscan dataset under " + output
                    + ": service stacking skipped");
        }
    }

    private void save(String name, Dataset<Row> result) {
        result.write().mode(SaveMode.Overwrite).parquet(new Path(new Path(output, "stack"), name).toString());
        System.out.println("== " + name + " ==");
        result.show(30, false);
    }
}
