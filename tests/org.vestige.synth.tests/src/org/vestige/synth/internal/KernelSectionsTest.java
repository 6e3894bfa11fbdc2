package org.vestige.synth.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.vestige.core.types.IsfReader;
import org.vestige.core.types.Profile;
import org.vestige.testing.TestData;

/**
 * The shipped section tables of real kernels agree with those kernels' public symbols: each table tiles its
 * image, the globals the synthesizer writes lie in the sections a real kernel has them in, and the page given
 * to the debug and export directories is read-only and holds no symbol of the kernel.
 */
public class KernelSectionsTest {

    private static final Map<String, String> KERNELS = Map.of(
            "339E74133576439CBCDF7E0229DA3773-1", "7601",
            "8CFB49428DC86A330CE257778E0C2F93-1", "17763",
            "CA8E2F01B822EDE6357898BFBF862997-1", "19041",
            "32C1A669D5FFEFD41091F636CFDB6E99-1", "22000");

    @Test
    public void everyTableTilesItsImage() {
        for (String key : KERNELS.keySet()) {
            KernelSections t = table(key);
            int end = 0x1000;
            for (PeImageBuilder.Section s : t.sections()) {
                assertEquals(key + " " + s.name(), end, s.rva());
                end = s.rva() + s.virtualSize();
            }
            assertEquals(key, t.sizeOfImage(), end);
            assertTrue(key, t.section("POOLCODE").isPresent() && t.section(".text").isPresent());
        }
    }

    @Test
    public void globalsLieWhereTheRealKernelHasThem() throws Exception {
        for (Map.Entry<String, String> k : KERNELS.entrySet()) {
            Profile p = IsfReader.read(TestData.requireReferenceProfile("isf-full/windows/ntkrnlmp.pdb/" + k.getKey()
                    + ".json.xz"));
            KernelSections t = table(k.getKey());
            assertIn(p, t, "PsActiveProcessHead", ".data");
            assertIn(p, t, "KdDebuggerDataBlock", ".data");
            assertIn(p, t, "PsLoadedModuleList", ".data");
            assertIn(p, t, "PsInitialSystemProcess", "ALMOSTRO");
            assertIn(p, t, "Phase1InitializationDiscard", "INIT");
            if (!k.getValue().equals("7601")) {
                assertIn(p, t, KernelImageWriter.SMGLOBALS_DECORATED, "CACHEALI");
                assertEquals("SmGlobals is on CACHEALI's first page", t.section("CACHEALI").orElseThrow().rva(),
                        p.symbol(KernelImageWriter.SMGLOBALS_DECORATED).orElseThrow() & ~0xfffL);
            }
            long maxSymbol = p.symbols().values().stream().mapToLong(Long::longValue).max().orElseThrow();
            assertTrue(k.getKey() + " ends past its last symbol", maxSymbol < t.sizeOfImage());
            PeImageBuilder.Section holder = t.containing(t.directoriesRva()).orElseThrow();
            assertEquals(PeImageBuilder.RDATA, holder.characteristics());
            for (long rva : p.symbols().values()) {
                assertTrue(k.getKey() + ": a symbol at 0x" + Long.toHexString(rva) + " lies on the directories' pages",
                        rva < t.directoriesRva() || rva >= t.directoriesRva() + 0x2000);
            }
        }
    }

    private static void assertIn(Profile p, KernelSections t, String symbol, String section) {
        long rva = p.symbol(symbol).orElseThrow();
        assertEquals(symbol, section, t.containing(rva).map(PeImageBuilder.Section::name).orElse("(none)"));
    }

    private static KernelSections table(String key) {
        String[] ga = key.split("-");
        return KernelSections.forPdb(ga[0], Integer.parseInt(ga[1])).orElseThrow(() -> new AssertionError(
                "no section table for " + key));
    }

    @Test
    public void aKernelTheDataDoesNotKnowHasNoTable() {
        assertTrue(KernelSections.forPdb("00000000000000000000000000000000", 1).isEmpty());
        assertTrue(KernelSections.forPdb(null, 1).isEmpty());
        assertEquals(List.of(), KernelSections.parse("# nothing\n").values().stream().toList());
    }
}
