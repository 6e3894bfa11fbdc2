package org.vestige.core.tests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.util.Arrays;

import org.junit.Test;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;
import org.vestige.core.store.BackingStore;

public class BackingStoreTest {

    @Test
    public void aStoreSwitchedOffAnswersEveryPageWithItsTypedCause() {
        MissingCause.StoreUnavailable off = MissingCause.StoreUnavailable.disabled(2, "compressed");
        BackingStore store = BackingStore.unavailable(off, "memory-compression store", offset -> "compressed, store "
                + "reading disabled (page 0x" + Long.toHexString(offset >>> 12) + ")");
        assertEquals(2, store.slot());
        assertEquals("memory-compression store", store.name());
        byte[] page = new byte[4096 + 8];
        Arrays.fill(page, (byte) 0x5a);
        PageProvenance p = store.readPage(0x7000, page, 8);
        assertEquals(new PageProvenance.Missing(off, "compressed, store reading disabled (page 0x7)"), p);
        PageProvenance.Missing m = (PageProvenance.Missing) p;
        MissingCause.StoreUnavailable cause = (MissingCause.StoreUnavailable) m.cause();
        assertEquals(true, cause.disabled());
        assertEquals("compressed", cause.store());
        // the page is zero-filled, the bytes before it untouched
        assertArrayEquals(new byte[] {0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a}, Arrays.copyOf(page, 8));
        assertArrayEquals(new byte[4096], Arrays.copyOfRange(page, 8, page.length));
        assertEquals(p, store.locate(0x7000));
    }

    @Test
    public void aStoreThatFailedSaysWhyAndIsNotSwitchedOff() {
        MissingCause.StoreUnavailable failed = MissingCause.StoreUnavailable.failed(2, "compressed",
                "SmGlobals not found");
        PageProvenance.Missing m = (PageProvenance.Missing) BackingStore.unavailable(failed,
                "memory-compression store", offset -> "compressed, but the store cannot be read").locate(0);
        assertEquals(failed, m.cause());
        assertEquals(false, ((MissingCause.StoreUnavailable) m.cause()).disabled());
        assertEquals("SmGlobals not found", ((MissingCause.StoreUnavailable) m.cause()).why());
    }
}
