package org.vestige.fleet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * One fleet run on Spark: a task per case (each running the product once, see {@link CaseRunner}), then one
 * Parquet dataset per analysis under the output ({@code OUTPUT/PLUGIN-ID}), the {@code cases} dataset (one row
 * per case, failed ones with their reason) and the {@code diagnostics} dataset.
 */
public final class FleetRun {

    /** The dataset with one row per case. */
    public static final String CASES = "cases";

    /** The {@code cases} dataset's columns. */
    public static final StructType CASES_SCHEMA = new StructType(new StructField[] {
        field(ResultRows.CASE_ID, DataTypes.StringType), field("image", DataTypes.StringType),
        field("pagefiles", DataTypes.createArrayType(DataTypes.StringType)), field("image_md5", DataTypes.StringType),
        field("image_sha1", DataTypes.StringType), field(ResultRows.IMAGE_SHA256, DataTypes.StringType),
        field("build", DataTypes.IntegerType), field("kernel_pdb", DataTypes.StringType),
        field("kernel_base", DataTypes.StringType), field("profile", DataTypes.StringType),
        field("discovery", DataTypes.StringType), field("exit_code", DataTypes.IntegerType),
        field("seconds", DataTypes.DoubleType), field("error", DataTypes.StringType)});

    /** The {@code diagnostics} dataset's columns. */
    public static final StructType DIAGNOSTICS_SCHEMA = new StructType(new StructField[] {
        field(ResultRows.CASE_ID, DataTypes.StringType), field(ResultRows.IMAGE_SHA256, DataTypes.StringType),
        field("analysis", DataTypes.StringType), field("severity", DataTypes.StringType),
        field("message", DataTypes.StringType)});

    private static final List<String> ROW_KEYS = List.of(ResultRows.CASE_ID, ResultRows.IMAGE_SHA256, ResultRows.ROW,
            ResultRows.PARENT_ROW);

    private final SparkSession spark;
    private final FleetSettings settings;

    /** A run of {@code settings} on {@code spark}. */
    public FleetRun(SparkSession spark, FleetSettings settings) {
        this.spark = spark;
        this.settings = settings;
    }

    private static StructField field(String name, org.apache.spark.sql.types.DataType type) {
        return DataTypes.createStructField(name, type, true);
    }

    /** Runs every case, one task each, and writes the datasets; @return each case's report, in manifest order */
    public List<CaseReport> run(List<FleetCase> cases) throws IOException {
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("the manifest holds no case");
        }
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Staging.delete(settings.output(), conf);
        CaseRunner runner = new CaseRunner(settings);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<CaseReport> reports = jsc.parallelize(cases, cases.size()).map(runner::run).collect();
        for (String id : settings.analysisIds()) {
            writeAnalysis(id, reports, conf);
        }
        writeCases(reports);
        Dataset<Row> diagnostics = Staging.exists(settings.output(), CaseRunner.DIAGNOSTICS, conf)
                ? spark.read().schema(DIAGNOSTICS_SCHEMA).json(Staging.dataset(settings.output(),
                        CaseRunner.DIAGNOSTICS).toString())
                : spark.createDataFrame(List.of(), DIAGNOSTICS_SCHEMA);
        write(diagnostics, CaseRunner.DIAGNOSTICS);
        Staging.delete(settings.output(), conf);
        return reports;
    }

    /** Writes one analysis's rows of every case as Parquet, columns in the result's order after the row keys. */
    private void writeAnalysis(String id, List<CaseReport> reports, Configuration conf) throws IOException {
        if (!Staging.exists(settings.output(), id, conf)) {
            System.err.println("vestige-fleet: " + id + " gave no result in any case: no dataset written");
            return;
        }
        Dataset<Row> rows = spark.read().json(Staging.dataset(settings.output(), id).toString());
        Set<String> order = new LinkedHashSet<>(ROW_KEYS);
        reports.forEach(r -> order.addAll(r.columns().getOrDefault(id, List.of())));
        order.addAll(List.of(rows.columns()));
        Set<String> present = Set.of(rows.columns());
        List<Column> columns = new ArrayList<>();
        for (String name : order) {
            if (present.contains(name)) {
                columns.add(functions.col("`" + name.replace("`", "``") + "`"));
            }
        }
        write(rows.select(columns.toArray(Column[]::new)), id);
    }

    private void writeCases(List<CaseReport> reports) {
        List<Row> rows = new ArrayList<>();
        for (CaseReport r : reports) {
            CaseFacts f = r.facts();
            rows.add(RowFactory.create(r.caseId(), r.image(), r.pagefiles(), f.md5(), f.sha1(), f.sha256(), f.build(), f.kernelPdb(), f.kernelBase(),
                    f.profile(), f.discovery(), r.exitCode(), r.seconds(), r.error()));
        }
        write(spark.createDataFrame(rows, CASES_SCHEMA).coalesce(1), CASES);
    }

    private void write(Dataset<Row> data, String name) {
        data.write().mode(SaveMode.Overwrite).parquet(new Path(settings.output(), name).toString());
    }
}
