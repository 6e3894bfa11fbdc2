package org.vestige.fuzz;

import java.io.IOException;
import java.nio.file.Path;

import org.vestige.layer.aff4.internal.ZipContainer;
import org.vestige.layer.aff4.internal.ZipMember;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the AFF4 zip/zip64 container reader on its own: opening reads the end records and the central
 * directory, then every member (up to a bound) is read whole, inflating deflated ones. It may only throw
 * {@link IOException} ({@code ZipFormatException} for a bad container or member).
 */
class ZipContainerFuzzTest {

    private static final long MEMBER_LIMIT = 1 << 20;

    @FuzzTest(maxDuration = "2m")
    void open(byte[] data) {
        Path file = InputFiles.write("input.zip", data);
        try (ZipContainer zip = ZipContainer.open(file)) {
            zip.comment();
            int n = 0;
            for (ZipMember m : zip.members()) {
                if (n++ == Records.LIMIT) {
                    break;
                }
                readMember(zip, m);
            }
        } catch (IOException e) {
            // a corrupt container, named in the message
        } finally {
            InputFiles.delete("input.zip");
        }
    }

    private static void readMember(ZipContainer zip, ZipMember m) {
        try {
            byte[] bytes = zip.readMember(m, MEMBER_LIMIT);
            if (bytes.length > MEMBER_LIMIT) {
                throw new IllegalStateException(m.name() + " read as " + bytes.length + " bytes, over the limit");
            }
        } catch (IOException e) {
            // a corrupt member, named in the message
        }
    }
}
