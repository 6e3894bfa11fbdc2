package org.vestige.core.tests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.layer.FileLayer;
import org.vestige.core.layer.MissingCause;
import org.vestige.core.layer.PageProvenance;

public class FileLayerTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    record Run(long address, int length, PageProvenance provenance) {
    }

    @Test
    public void readsBytesWithProvenanceAndReportsThePastEndAsMissing() throws IOException {
        Path f = tmp.newFile("mem.raw").toPath();
        byte[] data = new byte[10000];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 7);
        }
        Files.write(f, data);
        try (FileLayer layer = FileLayer.open(f, "physical")) {
            assertEquals(10000, layer.size());
            byte[] buf = new byte[100];
            List<Run> runs = new ArrayList<>();
            int available = layer.read(9950, buf, 0, 100, (a, l, p) -> runs.add(new Run(a, l, p)));
            assertEquals(50, available);
            assertEquals(new Run(9950, 50, new PageProvenance.Evidence("mem.raw", 9950)), runs.get(0));
            assertEquals(10000, runs.get(1).address());
            assertEquals(50, runs.get(1).length());
            assertFalse(runs.get(1).provenance().isAvailable());
            assertEquals(new MissingCause.OutsideImage(), ((PageProvenance.Missing) runs.get(1).provenance()).cause());
            byte[] expected = new byte[100];
            System.arraycopy(data, 9950, expected, 0, 50);
            assertArrayEquals(expected, buf);
            assertEquals("missing", layer.provenance(20000).kind());
            assertEquals(new MissingCause.OutsideImage(), ((PageProvenance.Missing) layer.provenance(20000)).cause());
            assertEquals(new PageProvenance.Evidence("mem.raw", 4096), layer.provenance(4096));
        }
    }

    @Test
    public void aClosedLayerRefusesReadsNamingItsFile() throws IOException {
        Path f = Files.write(tmp.newFile("closed.raw").toPath(), new byte[8192]);
        FileLayer layer = FileLayer.open(f, "physical");
        layer.close();
        // its mappings outlive the channel: a scan still running on a closed case must stop, not read on
        java.io.UncheckedIOException e = org.junit.Assert.assertThrows(java.io.UncheckedIOException.class,
                () -> layer.read(0, new byte[16], 0, 16, (a, l, p) -> { }));
        org.junit.Assert.assertTrue(e.getMessage(), e.getMessage().contains("closed.raw is closed"));
    }
}
