package org.vestige.example.entropy;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.vestige.core.layer.Layer;
import org.vestige.core.plugin.Analysis;
import org.vestige.core.plugin.AnalysisContext;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.result.AnalysisResult;
import org.vestige.core.result.Column;
import org.vestige.core.result.ResultTable;

/**
 * {@code example.entropy}: Shannon entropy of physical memory per block, counting only the bytes
 * the image actually holds.
 */
public final class EntropyMap implements Analysis {

    static final Column<Long> START = Column.address("Start");
    static final Column<Long> END = Column.address("End");
    static final Column<Long> ENTROPY = Column.integer("Entropy (mbit/byte)");
    static final Column<Long> READABLE = Column.size("Readable bytes");

    @Override
    public AnalysisResult run(AnalysisContext context, IProgressMonitor monitor) throws AnalysisException {
        Layer physical = context.requireEvidence().physical();
        long blockSize = context.options().number("block-size").orElse(1L << 20);
        long minEntropy = context.options().number("min-entropy").orElse(0L);
        if (blockSize <= 0 || blockSize % 4096 != 0 || blockSize > (1 << 30)) {
            throw new AnalysisException("--block-size must be a positive multiple of 4096 up to 1 GiB, not "
                    + blockSize);
        }
        ResultTable table = ResultTable.of(START, END, ENTROPY, READABLE);
        long size = physical.size();
        int blocks = (int) Math.min(Integer.MAX_VALUE, (size + blockSize - 1) / blockSize);
        SubMonitor progress = SubMonitor.convert(monitor, "Entropy of " + physical.name(), blocks);
        byte[] page = new byte[4096];
        for (long start = 0; start < size; start += blockSize) {
            if (progress.isCanceled()) {
                throw new OperationCanceledException();
            }
            long[] counts = new long[256];
            long readable = 0;
            long end = Math.min(size, start + blockSize);
            for (long a = start; a < end; a += page.length) {
                int len = (int) Math.min(page.length, end - a);
                java.util.List<long[]> runs = new java.util.ArrayList<>(2);
                final long pageStart = a;
                physical.read(a, page, 0, len, (addr, l, p) -> {
                    if (p.isAvailable()) {
                        runs.add(new long[] {addr - pageStart, l});
                    }
                });
                for (long[] run : runs) {
                    for (int i = (int) run[0], stop = (int) (run[0] + run[1]); i < stop; i++) {
                        counts[page[i] & 0xff]++;
                    }
                    readable += run[1];
                }
            }
            progress.worked(1);
            long entropy = Math.round(entropy(counts, readable) * 1000);
            if (entropy >= minEntropy) {
                table.addRow().set(START, start).set(END, end - 1).set(ENTROPY, entropy).set(READABLE, readable);
            }
        }
        return new AnalysisResult(context.plugin().id(), table);
    }

    static double entropy(long[] counts, long total) {
        if (total == 0) {
            return 0;
        }
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / total;
                h -= p * (Math.log(p) / Math.log(2));
            }
        }
        return h;
    }
}
