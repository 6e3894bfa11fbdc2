package org.vestige.registry;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.vestige.core.layer.Layer;
import org.vestige.core.layer.PageProvenance;

/**
 * Where the blocks of a loaded hive are: for every 4 KiB block its cell map names, the
 * {@link Residence} of the page behind it and whether its bytes can be read, with the unreadable
 * blocks named (hive offset, virtual address, reason) so an analysis that could not read a cell can
 * say exactly which pages are missing and why.
 *
 * <p>Costs one page-table lookup per block (no data is read), so even a 100 MiB hive takes
 * milliseconds.
 *
 * @since 0.1
 */
public final class HiveResidence {

    /** Blocks whose details are kept when unreadable; beyond it they are only counted. */
    public static final int KEPT_UNREADABLE = 4096;

    /**
     * Decides the residence of a page from its address and the provenance its layer reports.
     *
     * @since 0.1
     */
    @FunctionalInterface
    public interface Classifier {

        /** Classifies by provenance alone ({@link Residence#of(PageProvenance)}). */
        Classifier BY_PROVENANCE = (va, provenance) -> Residence.of(provenance);

        Residence classify(long virtualAddress, PageProvenance provenance);
    }

    /**
     * A block whose bytes cannot be read.
     *
     * @param hiveOffset     its hive offset
     * @param virtualAddress its virtual address, or 0 when the cell map gives none
     * @param residence      where its page is
     * @param reason         why it cannot be read, in the layer's words
     * @since 0.1
     */
    public record UnreadableBlock(long hiveOffset, long virtualAddress, Residence residence, String reason) {

        @Override
        public String toString() {
            return "hive offset " + Offsets.hex(hiveOffset) + (virtualAddress != 0 ? " (virtual "
                    + Offsets.hex(virtualAddress) + ")" : "") + ": " + reason;
        }
    }

    private final Map<Residence, Integer> counts;
    private final int blocks;
    private final int unreadable;
    private final List<UnreadableBlock> unreadableBlocks;

    private HiveResidence(Map<Residence, Integer> counts, int blocks, int unreadable,
            List<UnreadableBlock> unreadableBlocks) {
        this.counts = counts;
        this.blocks = blocks;
        this.unreadable = unreadable;
        this.unreadableBlocks = List.copyOf(unreadableBlocks);
    }

    /** Counts the blocks of {@code source} by the residence of their pages in the source's layer. */
    public static HiveResidence of(CellMapHiveSource source, Classifier classifier) {
        Objects.requireNonNull(classifier);
        Layer layer = source.layer();
        Map<Residence, Integer> counts = new EnumMap<>(Residence.class);
        for (Residence r : Residence.values()) {
            counts.put(r, 0);
        }
        int[] total = {0, 0};
        List<UnreadableBlock> kept = new ArrayList<>();
        source.forEachBlock(block -> {
            total[0]++;
            Residence where;
            String reason = null;
            if (!block.mapped()) {
                where = Residence.MISSING;
                reason = block.unmapped();
            } else {
                long va = block.virtualAddress();
                PageProvenance p = layer.provenance(va);
                long last = va + HiveSource.BLOCK_SIZE - 1;
                if (p.isAvailable() && (last & ~0xFFFL) != (va & ~0xFFFL)) {
                    // a block that straddles two pages is as readable as its worse page
                    PageProvenance q = layer.provenance(last);
                    if (!q.isAvailable()) {
                        va = last & ~0xFFFL;
                        p = q;
                    }
                }
                where = classifier.classify(va, p);
                if (p instanceof PageProvenance.Missing m) {
                    reason = "virtual " + Offsets.hex(va) + ": " + m.reason();
                } else if (p instanceof PageProvenance.DemandZero) {
                    reason = "virtual " + Offsets.hex(va) + ": a demand-zero page (never written)";
                }
            }
            counts.merge(where, 1, Integer::sum);
            if (reason != null) {
                total[1]++;
                if (kept.size() < KEPT_UNREADABLE) {
                    kept.add(new UnreadableBlock(block.hiveOffset(), block.mapped() ? block.virtualAddress() : 0,
                            where, reason));
                }
            }
            return true;
        });
        return new HiveResidence(counts, total[0], total[1], kept);
    }

    /** @return the number of blocks the cell map covers (stable and volatile storage) */
    public int blocks() {
        return blocks;
    }

    /** @return the number of blocks whose pages are {@code residence} */
    public int count(Residence residence) {
        return counts.get(residence);
    }

    /** @return the number of blocks whose bytes cannot be read */
    public int unreadable() {
        return unreadable;
    }

    /** @return the unreadable blocks, in hive-offset order (at most {@link #KEPT_UNREADABLE}) */
    public List<UnreadableBlock> unreadableBlocks() {
        return unreadableBlocks;
    }

    /**
     * @param max the most blocks to name
     * @return "N of M blocks are unreadable: hive offset 0x… (virtual 0x…): reason; …", or "" when every
     *         block is readable
     */
    public String describeUnreadable(int max) {
        if (unreadable == 0) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        b.append(unreadable).append(" of ").append(blocks).append(" hive blocks are unreadable: ");
        int shown = Math.min(max, unreadableBlocks.size());
        for (int i = 0; i < shown; i++) {
            b.append(i == 0 ? "" : "; ").append(unreadableBlocks.get(i));
        }
        if (unreadable > shown) {
            b.append("; and ").append(unreadable - shown).append(" more");
        }
        return b.toString();
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder().append(blocks).append(" blocks:");
        counts.forEach((r, n) -> {
            if (n > 0) {
                b.append(' ').append(r.label()).append(' ').append(n);
            }
        });
        return b.append(", unreadable ").append(unreadable).toString();
    }
}
