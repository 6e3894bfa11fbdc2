package org.vestige.fleet;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The rows each task writes beside the output before the driver turns them into Parquet datasets:
 * {@code OUTPUT/_staging/DATASET/case-N.json}, JSON lines, one file per case and dataset. A task that runs again
 * (a retry, a speculative copy) overwrites its own files, so no case is counted twice; the driver deletes the
 * folder once the datasets are written.
 */
final class Staging {

    /** The staging folder's name under the output. */
    static final String FOLDER = "_staging";

    private Staging() {
    }

    /** @return the folder holding every case's rows of {@code dataset} */
    static Path dataset(String output, String dataset) {
        return new Path(new Path(output, FOLDER), dataset);
    }

    /** Writes one case's rows of {@code dataset}, replacing what an earlier attempt wrote. */
    static void write(String output, String dataset, int ordinal, List<String> rows, Configuration conf)
            throws IOException {
        Path file = new Path(dataset(output, dataset), "case-" + ordinal + ".json");
        FileSystem fs = file.getFileSystem(conf);
        try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(fs.create(file, true),
                StandardCharsets.UTF_8))) {
            for (String row : rows) {
                w.write(row);
                w.write('\n');
            }
        }
    }

    /** @return whether any case staged rows for {@code dataset} */
    static boolean exists(String output, String dataset, Configuration conf) throws IOException {
        Path folder = dataset(output, dataset);
        return folder.getFileSystem(conf).exists(folder);
    }

    /** Deletes the staging folder. */
    static void delete(String output, Configuration conf) throws IOException {
        Path folder = new Path(output, FOLDER);
        folder.getFileSystem(conf).delete(folder, true);
    }
}
