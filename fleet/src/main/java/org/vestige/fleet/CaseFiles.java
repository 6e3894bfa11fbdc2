package org.vestige.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.stream.Stream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.spark.SparkFiles;

/**
 * Where a task finds its files: evidence on a local file system is used in place; evidence on any other Hadoop
 * file system (HDFS, S3 with the cluster's connector) is streamed to the executor's local disk first, never into
 * memory. The product's launcher is found on the executor's disk.
 */
final class CaseFiles {

    private CaseFiles() {
    }

    /**
     * @return a local path holding the file at {@code uri}: the file itself when it is local, else a copy under
     *         {@code folder} with the same name
     */
    static Path local(String uri, Path folder, Configuration conf) throws IOException {
        org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(uri);
        FileSystem fs = source.getFileSystem(conf);
        if (fs instanceof LocalFileSystem || "file".equals(fs.getUri().getScheme())) {
            Path local = Paths.get(fs.makeQualified(source).toUri());
            if (!Files.isRegularFile(local)) {
                throw new IOException(uri + " is not a file on the executor's disk");
            }
            return local;
        }
        Path target = folder.resolve(source.getName());
        fs.copyToLocalFile(false, source, new org.apache.hadoop.fs.Path(target.toUri()), true);
        return target;
    }

    /**
     * @return the launcher {@code product} names: an absolute path, a path relative to the working folder (YARN,
     *         Kubernetes and standalone unpack {@code --archives} there), or one among the files Spark shipped
     */
    static Path product(String product) throws IOException {
        Path p = Paths.get(product);
        if (!p.isAbsolute() && !Files.isExecutable(p)) {
            Path shipped = Paths.get(SparkFiles.getRootDirectory()).resolve(product);
            if (Files.isExecutable(shipped)) {
                p = shipped;
            }
        }
        if (!Files.isExecutable(p)) {
            throw new IOException("the vestige launcher " + product + " is not on this executor (ship the product"
                    + " with --archives, or give its absolute path on every executor)");
        }
        return p.toAbsolutePath();
    }

    /** Deletes a task's working folder and everything in it. */
    static void delete(Path folder) {
        if (folder == null || !Files.exists(folder)) {
            return;
        }
        try (Stream<Path> all = Files.walk(folder)) {
            all.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a leftover in the executor's temporary folder is no reason to fail the case
        }
    }
}
