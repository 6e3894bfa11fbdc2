package org.vestige.cli.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.cli.Cli;
import org.vestige.cli.ExitCode;

/** Several files given with -f, and evidence a format recognises that holds no memory. */
public class EvidenceSetsCliTest {

    private static final String VOLUME = "aff4://6c0c6c0c-0000-4000-8000-00000000006c";
    private static final String NOTES = "the key is under the mat\n";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    /** An AFF4-L volume holding one logical file and no image, written as any zip tool would. */
    private Path logicalVolume() throws Exception {
        Path file = tmp.getRoot().toPath().resolve("logical.aff4");
        String turtle = "@prefix aff4: <http://aff4.org/Schema#> .\n"
                + "<" + VOLUME + "> a aff4:ZipVolume ; aff4:contains <" + VOLUME + "/notes.txt> .\n"
                + "<" + VOLUME + "/notes.txt> a aff4:FileImage ; aff4:originalFileName \"/home/ann/notes.txt\" ;"
                + " aff4:size " + NOTES.length() + " ; aff4:stored <" + VOLUME + "> .\n";
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setComment(VOLUME);
            zip.putNextEntry(new ZipEntry("information.turtle"));
            zip.write(turtle.getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("notes.txt"));
            zip.write(NOTES.getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return file;
    }

    @Test
    public void aVolumeOfLogicalFilesIsAnEvidenceErrorListingThemNeverRawMemory() throws Exception {
        Path volume = logicalVolume();
        Cli.Invocation o = CliTest.vestige("-f", volume.toString(), "--no-cache", "-q", "evidence.info");
        assertEquals(o.err(), ExitCode.EVIDENCE, o.exitCode());
        assertTrue(o.err(), o.err().contains("not a memory image"));
        assertTrue(o.err(), o.err().contains("/home/ann/notes.txt (" + NOTES.length() + " bytes"));
        assertTrue(o.err(), o.err().contains("aff4.export --volume " + volume + " --stream NAME"));
        assertFalse(o.err(), o.err().contains("--format raw"));
        assertFalse(o.err(), o.err().contains("Exception"));

        Path out = tmp.newFolder("out").toPath();
        Cli.Invocation export = CliTest.vestige("-q", "-o", out.toString(), "aff4.export", "--volume", volume
                .toString(), "--stream", "notes.txt");
        assertEquals(export.err(), ExitCode.OK, export.exitCode());
        assertEquals(NOTES, Files.readString(out.resolve("notes.txt")));
    }

    @Test
    public void furtherFilesAFormatCannotTakeAreAnEvidenceError() throws Exception {
        Path a = Files.write(tmp.getRoot().toPath().resolve("a.raw"), new byte[8192]);
        Path b = Files.write(tmp.getRoot().toPath().resolve("b.raw"), new byte[8192]);
        Cli.Invocation o = CliTest.vestige("-f", a.toString(), "-f", b.toString(), "--no-cache", "-q",
                "evidence.info");
        assertEquals(o.err(), ExitCode.EVIDENCE, o.exitCode());
        assertTrue(o.err(), o.err().contains("opens one file") && o.err().contains("b.raw"));
    }
}
