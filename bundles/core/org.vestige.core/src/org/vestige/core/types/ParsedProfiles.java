package org.vestige.core.types;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32C;

import org.vestige.core.evidence.CaseCache;
import org.vestige.core.internal.io.AtomicFiles;

/**
 * Profiles parsed once and kept in a compact form ({@link ProfileCodec}), so that the next read of the same ISF
 * skips the xz and JSON: each is kept in its own file named by the SHA-256 of the ISF bytes it was parsed from,
 * so a changed ISF (another bundle version, a re-generated file) is parsed anew, and carries a CRC-32C of its own
 * content, so a damaged file is parsed anew rather than believed. Anything that goes wrong with the kept form
 * (unreadable, damaged, folder not writable) only costs the parse.
 *
 * <p>The forms live in the {@code profiles} folder of the user's {@linkplain CaseCache#userDefault() cache
 * folder}: a profile is the same for every case, so it is not kept with one case's notes.
 *
 * @since 0.1
 */
public final class ParsedProfiles {

    private final Path folder;

    private ParsedProfiles(Path folder) {
        this.folder = folder;
    }

    /** @return parsed profiles kept in {@code folder} */
    public static ParsedProfiles in(Path folder) {
        return new ParsedProfiles(folder.toAbsolutePath().normalize());
    }

    /** @return parsed profiles kept in the user's cache folder */
    public static ParsedProfiles userDefault() {
        return in(CaseCache.userDefault().folder().resolve("profiles"));
    }

    /** @return where the parsed form of an ISF with these bytes is kept */
    public Path fileFor(byte[] isf) {
        return folder.resolve(sha256(isf) + ".profile");
    }

    /**
     * Reads a profile from its ISF bytes: from the kept parsed form when there is an intact one, else by parsing
     * them ({@link IsfReader}) and keeping the form for next time.
     *
     * @param isf    the ISF file's bytes (plain or xz-compressed JSON)
     * @param source names the ISF in messages and in {@link Profile#source()}
     * @throws IOException when the ISF is not valid (as {@link IsfReader#read(java.io.InputStream, String)})
     */
    public Profile read(byte[] isf, String source) throws IOException {
        Path file = fileFor(isf);
        Profile kept = kept(file, source);
        if (kept != null) {
            return kept;
        }
        Profile parsed = IsfReader.read(new ByteArrayInputStream(isf), source);
        keep(parsed, file);
        return parsed;
    }

    /**
     * Reads a profile stored as its build's shared types and its own document ({@link IsfReader#readLayered}):
     * from the kept parsed form when there is an intact one (named by the SHA-256 of both files' bytes), else by
     * merging and parsing them and keeping the form for next time.
     *
     * @param shared the shared types document's bytes
     * @param own    the kernel's own document's bytes
     * @param source names the profile in messages and in {@link Profile#source()}
     * @throws IOException when either document is not valid ISF
     */
    public Profile readLayered(byte[] shared, byte[] own, String source) throws IOException {
        byte[] both = ByteBuffer.allocate(shared.length + own.length + 8).putLong(shared.length).put(shared).put(own)
                .array();
        Path file = fileFor(both);
        Profile kept = kept(file, source);
        if (kept != null) {
            return kept;
        }
        Profile parsed = IsfReader.readLayered(new ByteArrayInputStream(shared), new ByteArrayInputStream(own),
                source);
        keep(parsed, file);
        return parsed;
    }

    private static Profile kept(Path file, String source) {
        try {
            byte[] all = Files.readAllBytes(file);
            if (all.length < 8) {
                return null;
            }
            CRC32C crc = new CRC32C();
            crc.update(all, 8, all.length - 8);
            if (ByteBuffer.wrap(all).getLong() != crc.getValue()) {
                return null;
            }
            return ProfileCodec.read(new DataInputStream(new ByteArrayInputStream(all, 8, all.length - 8)), source);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            return null; // damaged or of another version: parse the ISF again
        }
    }

    private void keep(Profile p, Path file) {
        try {
            ByteArrayOutputStream body = new ByteArrayOutputStream(1 << 16);
            ProfileCodec.write(p, new DataOutputStream(body));
            byte[] bytes = body.toByteArray();
            CRC32C crc = new CRC32C();
            crc.update(bytes);
            AtomicFiles.write(file, ByteBuffer.allocate(8 + bytes.length).putLong(crc.getValue()).put(bytes)
                    .array());
        } catch (IOException | RuntimeException e) {
            // not kept: the next read parses the ISF again
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }
}
