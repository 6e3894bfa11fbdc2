package org.vestige.synth.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.vestige.synth.MarkerTruth;

/**
 * Places the {@link MarkerTruth} marker in notepad.exe: a private VAD of four pages, the first resident with a
 * copy inside it, the second and third paged out to pagefile.sys with a copy across their boundary, the fourth
 * in the compressed store (paged out to pagefile.sys when the image has no store) with a copy inside it.
 */
final class MarkerWriter {

    private static final int PAGE = 4096;

    private final Machine machine;
    /** a stream of its own, so the marker's text and place do not depend on what was synthesized before */
    private final Random random;

    MarkerWriter(Machine machine) {
        this.machine = machine;
        this.random = new Random(machine.options.seed() ^ 0x5941524D4B524BL);
    }

    MarkerTruth place(List<PlacedProcess> procs) {
        PlacedProcess p = procs.stream().filter(x -> x.name.equals("notepad.exe")).findFirst().orElseThrow();
        String token = Long.toHexString(random.nextLong() | 1L << 63).toUpperCase(Locale.ROOT);
        String marker = "VESTIGE-YARA-MARKER-" + token + "-" + token;
        byte[] text = marker.getBytes(StandardCharsets.US_ASCII);
        long va = 0x0000_0500_0000_0000L + 0x10000L * random.nextInt(0x10000);
        byte[][] pages = new byte[4][PAGE];
        long[] at = {va + 0x100 + 8 * random.nextInt(0x180), va + 2 * PAGE - text.length / 2,
            va + 3 * PAGE + 0x100 + 8 * random.nextInt(0x180)};
        for (long a : at) {
            int offset = (int) (a - va);
            for (int i = 0; i < text.length; i++) {
                pages[(offset + i) / PAGE][(offset + i) % PAGE] = text[i];
            }
        }
        List<MarkerTruth.Copy> copies = new ArrayList<>();
        p.space.write(va, pages[0]);
        copies.add(new MarkerTruth.Copy(p.pid, p.name, at[0], MarkerTruth.RESIDENT, p.space.translate(at[0]), -1,
                false));
        long[] offsets = new long[4];
        for (int k = 1; k <= 2; k++) {
            offsets[k] = pagedOut(p, va + k * PAGE, pages[k], k == 1);
        }
        copies.add(new MarkerTruth.Copy(p.pid, p.name, at[1], MarkerTruth.PAGEFILE, -1, offsets[1] + PAGE - text
                .length / 2, true));
        if (machine.store != null) {
            machine.store.page(p.space, p.pid, va + 3 * PAGE, pages[3], 4, true, 0,
                    CompressedStoreWriter.Handling.PLAIN);
            p.outOfRam.put(va + 3 * PAGE, pages[3]);
            copies.add(new MarkerTruth.Copy(p.pid, p.name, at[2], MarkerTruth.COMPRESSED, -1, -1, false));
        } else {
            offsets[3] = pagedOut(p, va + 3 * PAGE, pages[3], false);
            copies.add(new MarkerTruth.Copy(p.pid, p.name, at[2], MarkerTruth.PAGEFILE, -1, offsets[3] + (at[2]
                    - va - 3 * PAGE), false));
        }
        p.vadRanges.add(new long[] {va, va + 4 * PAGE - 1, 4, 0, 1, 4});
        p.vadFiles.add(null);
        return new MarkerTruth(marker, va, va + 4 * PAGE - 1, copies);
    }

    /** @return the offset in pagefile.sys the page went to */
    private long pagedOut(PlacedProcess p, long va, byte[] page, boolean swizzled) {
        long n = Machine.freePagingFilePage(machine.pagefile, 0xE00, random);
        machine.pagefile.put(n << 12, page);
        p.space.setPte(va, machine.pte.software(0, n, 4, swizzled));
        p.outOfRam.put(va, page);
        return n << 12;
    }
}
