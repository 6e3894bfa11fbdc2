package org.vestige.plugin.profiles;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;


/**
 * Finds ISF documents where an analyst points: single files ({@code .json}, {@code .json.xz},
 * {@code .json.gz}), folders searched recursively for them, and Volatility 3 symbol-pack zips
 * (e.g. {@code windows.zip} with entries {@code windows/ntkrnlmp.pdb/<GUID>-<age>.json.xz}).
 * Documents are decompressed on demand, one at a time, with a size limit so a hostile archive cannot
 * exhaust memory.
 *
 * @since 0.1
 */
public final class IsfSources {

    /** The largest decompressed ISF document accepted (Windows kernels are 10–40 MiB). */
    public static final int MAX_DOCUMENT_BYTES = 512 << 20;

    /**
     * One ISF document: a file, or an entry of a zip.
     *
     * @param name    names it in messages and reports ({@code pack.zip!windows/ntkrnlmp.pdb/X-1.json.xz})
     * @param file    the file, or the zip holding it
     * @param entry   the zip entry's name, or null for a plain file
     * @since 0.1
     */
    public record Source(String name, Path file, String entry) {

        /** @return the file name without its folders and without {@code .json[.xz|.gz]} */
        public String stem() {
            String n = entry != null ? entry : file.getFileName().toString();
            n = n.substring(n.lastIndexOf('/') + 1);
            int dot = n.toLowerCase(Locale.ROOT).lastIndexOf(".json");
            return dot > 0 ? n.substring(0, dot) : n;
        }

        /**
         * Reads the whole document, decompressed (xz and gzip detected by their magic bytes).
         *
         * @throws IOException naming the source when it cannot be read or is larger than
         *                     {@link #MAX_DOCUMENT_BYTES}
         */
        public byte[] read() throws IOException {
            if (entry == null) {
                try (InputStream in = Files.newInputStream(file)) {
                    return decompress(in, name);
                }
            }
            try (ZipFile zip = new ZipFile(file.toFile())) {
                ZipEntry e = zip.getEntry(entry);
                if (e == null) {
                    throw new IOException(name + ": entry is gone from the zip");
                }
                try (InputStream in = zip.getInputStream(e)) {
                    return decompress(in, name);
                }
            }
        }
    }

    private IsfSources() {
    }

    /** @return true for names ending in .json, .json.xz or .json.gz */
    public static boolean isIsfName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".json") || n.endsWith(".json.xz") || n.endsWith(".json.gz");
    }

    /**
     * Lists the ISF documents under each path, in a stable order (paths as given; inside folders
     * and zips sorted by name).
     *
     * @throws IOException naming a path that does not exist, a zip that cannot be opened, or a
     *                     path that holds no ISF document
     */
    public static List<Source> find(List<Path> paths) throws IOException {
        List<Source> out = new ArrayList<>();
        for (Path p : paths) {
            int before = out.size();
            if (Files.isDirectory(p)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(p)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path f : files) {
                    String n = f.getFileName().toString();
                    if (isIsfName(n)) {
                        out.add(new Source(f.toString(), f, null));
                    } else if (n.toLowerCase(Locale.ROOT).endsWith(".zip")) {
                        out.addAll(zipEntries(f));
                    }
                }
            } else if (Files.isRegularFile(p)) {
                if (p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".zip") || isZip(p)) {
                    out.addAll(zipEntries(p));
                } else {
                    out.add(new Source(p.toString(), p, null));
                }
            } else {
                throw new IOException(p + ": no such file or folder");
            }
            if (out.size() == before) {
                throw new IOException(p + ": holds no ISF file (.json, .json.xz, .json.gz)");
            }
        }
        return out;
    }

    private static boolean isZip(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            byte[] m = in.readNBytes(4);
            return m.length == 4 && m[0] == 'P' && m[1] == 'K' && m[2] == 3 && m[3] == 4;
        }
    }

    private static List<Source> zipEntries(Path zipFile) throws IOException {
        List<Source> out = new ArrayList<>();
        try (ZipFile zip = new ZipFile(zipFile.toFile())) {
            zip.stream().filter(e -> !e.isDirectory() && isIsfName(e.getName())).map(ZipEntry::getName).sorted()
                    .forEach(n -> out.add(new Source(zipFile + "!" + n, zipFile, n)));
        } catch (java.util.zip.ZipException e) {
            throw new IOException(zipFile + ": not a readable zip: " + e.getMessage(), e);
        }
        return out;
    }

    static byte[] decompress(InputStream raw, String name) throws IOException {
        InputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(6);
        byte[] m = in.readNBytes(6);
        in.reset();
        if (m.length == 6 && (m[0] & 0xff) == 0xFD && m[1] == '7' && m[2] == 'z' && m[3] == 'X' && m[4] == 'Z'
                && m[5] == 0) {
            in = org.vestige.core.types.IsfReader.xz(in, name);
        } else if (m.length >= 2 && (m[0] & 0xff) == 0x1f && (m[1] & 0xff) == 0x8b) {
            in = new GZIPInputStream(in, 1 << 16);
        } else if (m.length >= 3 && m[0] == 'B' && m[1] == 'Z' && m[2] == 'h') {
            throw new IOException(name + ": bzip2-compressed ISF is not supported; recompress it with xz");
        }
        byte[] data;
        try {
            data = in.readNBytes(MAX_DOCUMENT_BYTES + 1);
        } catch (IOException e) {
            throw new IOException(name + ": cannot decompress: " + e.getMessage(), e);
        }
        if (data.length > MAX_DOCUMENT_BYTES) {
            throw new IOException(name + ": larger than " + (MAX_DOCUMENT_BYTES >> 20)
                    + " MiB decompressed; not an ISF file this tool accepts");
        }
        return data;
    }
}
