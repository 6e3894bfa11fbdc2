package org.vestige.plugin.windows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.commons.compress.archivers.sevenz.SevenZArchiveEntry;
import org.apache.commons.compress.archivers.sevenz.SevenZFile;
import org.apache.commons.compress.archivers.sevenz.SevenZFileOptions;
import org.vestige.core.plugin.AnalysisException;
import org.vestige.core.plugin.OutputPaths;

/**
 * Extracts the process dump a 7z archive of the acquisition kit holds, within bounds: an entry whose
 * declared size exceeds the limit is refused before a byte is written, an entry that yields more bytes than
 * it declared is cut off and refused, a name that would leave the output folder (absolute, or climbing out
 * with {@code ..}) is refused, and the decoder may use at most {@link #MAX_DECODER_KIB} of memory however
 * large a dictionary the archive asks for. 7z's CRC of every entry is checked as it is read.
 */
final class DumpArchive {

    /** The most memory the LZMA decoders may take (7-Zip's ultra level uses a 64 MiB dictionary). */
    static final int MAX_DECODER_KIB = 256 * 1024;

    /** Thrown when an archive cannot be read or breaks a bound; the message says which and where. */
    static final class DamagedArchiveException extends Exception {
        private static final long serialVersionUID = 1L;

        DamagedArchiveException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private DumpArchive() {
    }

    /**
     * Extracts every file entry of {@code archive} under {@code folder}.
     *
     * @param maxEntryBytes the largest entry accepted
     * @return the files written, in archive order
     * @throws DamagedArchiveException when the archive does not read (damaged, CRC mismatch, truncated) or an
     *                                 entry breaks a bound; what was written of it is deleted
     */
    static List<Path> extract(Path archive, Path folder, long maxEntryBytes) throws DamagedArchiveException {
        List<Path> written = new ArrayList<>();
        Path current = null;
        try (SevenZFile in = new SevenZFile(archive.toFile(), SevenZFileOptions.builder().withMaxMemoryLimitInKb(
                MAX_DECODER_KIB).build())) {
            byte[] buffer = new byte[1 << 16];
            for (SevenZArchiveEntry e; (e = in.getNextEntry()) != null;) {
                if (e.isDirectory() || e.isAntiItem()) {
                    continue;
                }
                if (e.getSize() > maxEntryBytes) {
                    throw new DamagedArchiveException("entry " + e.getName() + " declares " + e.getSize()
                            + " bytes, more than the limit of " + maxEntryBytes, null);
                }
                current = OutputPaths.resolve(folder, e.getName());
                Files.createDirectories(current.getParent());
                long total = 0;
                try (OutputStream out = Files.newOutputStream(current)) {
                    for (int n; (n = in.read(buffer)) > 0;) {
                        total += n;
                        if (total > e.getSize()) {
                            throw new DamagedArchiveException("entry " + e.getName() + " yields more than the "
                                    + e.getSize() + " bytes it declares", null);
                        }
                        out.write(buffer, 0, n);
                    }
                }
                if (total != e.getSize()) {
                    throw new DamagedArchiveException("entry " + e.getName() + " ends after " + total + " of its "
                            + e.getSize() + " bytes", null);
                }
                written.add(current);
                current = null;
            }
        } catch (AnalysisException e) {
            throw new DamagedArchiveException("an entry's name is refused: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new DamagedArchiveException("the archive does not read: " + e.getMessage(), e);
        } finally {
            if (current != null) {
                try {
                    Files.deleteIfExists(current);
                } catch (IOException e) {
                    // the partial file stays; the row names the archive as damaged all the same
                }
            }
        }
        return written;
    }
}
