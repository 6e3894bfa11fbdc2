package org.vestige.core.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.evidence.EvidenceCase;
import org.vestige.core.evidence.EvidenceException;
import org.vestige.core.evidence.EvidenceFormat;
import org.vestige.core.evidence.FormatHandle;
import org.vestige.core.evidence.OpenedEvidence;
import org.vestige.core.evidence.PagefileSpec;
import org.vestige.core.evidence.ProbeResult;
import org.vestige.core.layer.FileLayer;

public class EvidenceCaseTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** A format that accepts files starting with "TEST" and opens them as a file layer. */
    static final class TestFormat implements EvidenceFormat {
        @Override
        public ProbeResult probe(Path file) {
            try {
                byte[] head = Files.readAllBytes(file);
                return head.length >= 4 && new String(head, 0, 4).equals("TEST") ? ProbeResult.certain("TEST magic")
                        : ProbeResult.no("no TEST magic");
            } catch (IOException e) {
                return ProbeResult.no(e.toString());
            }
        }

        @Override
        public OpenedEvidence open(Path file) throws EvidenceException {
            try {
                FileLayer l = FileLayer.open(file, "test");
                return new OpenedEvidence("test", l, List.of(), java.util.Map.of(), List.of(l));
            } catch (IOException e) {
                throw new EvidenceException(file, e.getMessage(), e);
            }
        }
    }

    static FormatHandle handle(String id, EvidenceFormat f) {
        return new FormatHandle() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String name() {
                return id + " format";
            }

            @Override
            public EvidenceFormat format() {
                return f;
            }
        };
    }

    @Test
    public void opensWithTheMostConfidentFormatAndRecordsEveryProbe() throws Exception {
        Path image = tmp.newFile("image.bin").toPath();
        Files.write(image, "TEST and then some memory".getBytes());
        Path pagefile = tmp.newFile("pagefile.sys").toPath();
        Files.write(pagefile, new byte[8192]);
        EvidenceFormat never = new EvidenceFormat() {
            @Override
            public ProbeResult probe(Path file) {
                return ProbeResult.no("never");
            }

            @Override
            public OpenedEvidence open(Path file) {
                throw new AssertionError("must not be opened");
            }
        };
        try (EvidenceCase c = EvidenceCase.open(image, List.of(PagefileSpec.parse("0=" + pagefile)), List.of(handle(
                "never", never), handle("test", new TestFormat())), true, new NullProgressMonitor())) {
            assertEquals("test", c.evidence().formatId());
            assertEquals(2, c.probes().size());
            assertEquals("never", c.probes().get(0).result().explanation());
            assertEquals(100, c.probes().get(1).result().confidence());
            assertEquals(25, c.image().size());
            assertEquals("e11b3c43ba652a006777de49c2182da1", c.image().digests().md5());
            assertEquals(0, c.pagefiles().get(0).slot());
            assertEquals(8192, c.pagefiles().get(0).layer().size());
            assertTrue(c.pagefiles().get(0).record().digests() != null);
        }
    }

    @Test
    public void hashingCanBeTurnedOff() throws Exception {
        Path image = tmp.newFile("image.bin").toPath();
        Files.write(image, "TEST".getBytes());
        try (EvidenceCase c = EvidenceCase.open(image, List.of(), List.of(handle("test", new TestFormat())), false,
                new NullProgressMonitor())) {
            assertNull(c.image().digests());
        }
    }

    @Test
    public void badEvidenceIsNamedWithTheProblem() throws Exception {
        List<FormatHandle> formats = List.of(handle("test", new TestFormat()));
        Path missing = tmp.getRoot().toPath().resolve("missing.raw");
        assertProblem(missing, formats, "no such file");
        Path empty = tmp.newFile("empty.raw").toPath();
        assertProblem(empty, formats, "is empty (0 bytes)");
        assertProblem(tmp.newFolder("folder").toPath(), formats, "is a directory");
        Path unknown = tmp.newFile("unknown.bin").toPath();
        Files.write(unknown, "NOPE".getBytes());
        EvidenceException e = assertProblem(unknown, formats, "no evidence format recognises this file");
        assertTrue(e.getMessage(), e.getMessage().contains("test: no TEST magic"));
        Path image = tmp.newFile("ok.bin").toPath();
        Files.write(image, "TEST".getBytes());
        // a paging file given with the image must be usable: the case does not open without it
        EvidenceException p = assertThrows(EvidenceException.class, () -> EvidenceCase.open(image, List.of(
                PagefileSpec.parse("/no/such/pagefile.sys")), formats, false, new NullProgressMonitor()));
        assertEquals("/no/such/pagefile.sys: no such file", p.getMessage());
        assertEquals(Path.of("/no/such/pagefile.sys"), p.file());
    }

    @Test
    public void pagefileSlotsAreValidated() {
        assertEquals(-1, PagefileSpec.parse("pagefile.sys").slot());
        assertEquals(1, PagefileSpec.parse("1=swapfile.sys").slot());
        assertEquals("C=odd=name.sys", PagefileSpec.parse("C=odd=name.sys").path().toString());
        assertThrows(IllegalArgumentException.class, () -> PagefileSpec.parse("16=pagefile.sys"));
    }

    /** A format that accepts everything, as raw images do. */
    static final class AnythingFormat implements EvidenceFormat {
        @Override
        public ProbeResult probe(Path file) {
            return new ProbeResult(ProbeResult.FALLBACK, "any file");
        }

        @Override
        public OpenedEvidence open(Path file) throws EvidenceException {
            try {
                FileLayer l = FileLayer.open(file, "anything");
                return new OpenedEvidence("anything", l, List.of(), java.util.Map.of(), List.of(l));
            } catch (IOException e) {
                throw new EvidenceException(file, e.getMessage(), e);
            }
        }
    }

    /** A format that recognises its magic and then finds the file damaged. */
    static final class DamagedFormat implements EvidenceFormat {
        @Override
        public ProbeResult probe(Path file) {
            return new ProbeResult(60, "TEST magic, header not checked");
        }

        @Override
        public OpenedEvidence open(Path file) throws EvidenceException {
            throw new EvidenceException(file, "header at offset 0x10 claims 1000000 runs");
        }
    }

    @Test
    public void aRecognisedFileThatCannotBeOpenedIsNeverReadAsRaw() throws Exception {
        Path image = tmp.newFile("damaged.dmp").toPath();
        Files.write(image, "TEST but damaged".getBytes());
        List<FormatHandle> formats = List.of(handle("raw", new AnythingFormat()), handle("damaged",
                new DamagedFormat()));
        EvidenceException e = assertProblem(image, formats, "recognised but damaged: damaged (probe: TEST magic, "
                + "header not checked) cannot open it: header at offset 0x10 claims 1000000 runs");
        assertTrue(e.getMessage(), e.getMessage().endsWith("(to read its bytes as raw anyway, give --format raw)"));
        // the analyst may still read the bytes as raw, knowingly
        try (EvidenceCase c = EvidenceCase.open(image, List.of(), formats, false, "raw", new NullProgressMonitor())) {
            assertEquals("anything", c.evidence().formatId());
        }
        // a file no format recognises is still raw
        Path unknown = tmp.newFile("unknown.bin").toPath();
        Files.write(unknown, "NOPE, no magic".getBytes());
        List<FormatHandle> rawOnly = List.of(handle("raw", new AnythingFormat()), handle("test", new TestFormat()));
        try (EvidenceCase c = EvidenceCase.open(unknown, List.of(), rawOnly, false, new NullProgressMonitor())) {
            assertEquals("anything", c.evidence().formatId());
        }
    }

    @Test
    public void aForcedFormatMustExistAndOpenTheFile() throws Exception {
        Path image = tmp.newFile("image.bin").toPath();
        Files.write(image, "NOPE".getBytes());
        List<FormatHandle> formats = List.of(handle("test", new TestFormat()), handle("damaged", new DamagedFormat()));
        EvidenceException e = assertThrows(EvidenceException.class, () -> EvidenceCase.open(image, List.of(), formats,
                false, "vmware", new NullProgressMonitor()));
        assertTrue(e.getMessage(), e.getMessage().endsWith("no evidence format 'vmware' is installed (installed: test, "
                + "damaged)"));
        e = assertThrows(EvidenceException.class, () -> EvidenceCase.open(image, List.of(), formats, false, "damaged",
                new NullProgressMonitor()));
        assertTrue(e.getMessage(), e.getMessage().endsWith("the format damaged (forced with --format) cannot open it: "
                + "header at offset 0x10 claims 1000000 runs"));
        // forced, a format opens a file its probe would have refused
        try (EvidenceCase c = EvidenceCase.open(image, List.of(), formats, false, "test", new NullProgressMonitor())) {
            assertEquals("test", c.evidence().formatId());
        }
    }

    @Test(timeout = 20_000)
    public void aFifoIsRefusedAtOnceNotReadForever() throws Exception {
        Path fifo = tmp.getRoot().toPath().resolve("evidence.fifo");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        org.junit.Assume.assumeTrue("mkfifo is not available here", mkfifo.waitFor() == 0);
        EvidenceException e = assertProblem(fifo, List.of(handle("test", new TestFormat())), "is not a regular file");
        assertTrue(e.getMessage(), e.getMessage().contains("FIFO"));
        e = assertThrows(EvidenceException.class, () -> EvidenceCase.requireReadableFile(Path.of("/dev/zero")));
        assertEquals("/dev/zero: is not a regular file (a FIFO, socket or device is not evidence: copy it to a file "
                + "first)", e.getMessage());
    }

    private static EvidenceException assertProblem(Path file, List<FormatHandle> formats, String problem) {
        EvidenceException e = assertThrows(EvidenceException.class, () -> EvidenceCase.open(file, List.of(), formats,
                true, new NullProgressMonitor()));
        assertTrue(e.getMessage(), e.getMessage().startsWith(file.toAbsolutePath().normalize() + ": " + problem));
        assertEquals(file.toAbsolutePath().normalize(), e.file());
        return e;
    }
}
