package org.vestige.layer.aff4;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;

import org.vestige.core.layer.Layer;
import org.vestige.layer.aff4.internal.Digester;
import org.vestige.layer.aff4.internal.ZipContainer;
import org.vestige.layer.aff4.internal.ZipMember;
import org.vestige.layer.aff4.internal.ZipWriter;

/** Builds test inputs: memory-like raw data, and damaged copies of written volumes. */
final class Volumes {

    private Volumes() {
    }

    /**
     * Memory-like bytes: a mix of zero pages, pages of small integers and pointers, text, repeated structures
     * and incompressible random pages, deterministic for a seed.
     */
    static byte[] memoryLike(long seed, int size) {
        Random r = new Random(seed);
        byte[] b = new byte[size];
        for (int page = 0; page * 4096 < size; page++) {
            int start = page * 4096;
            int end = Math.min(size, start + 4096);
            switch (r.nextInt(6)) {
                case 0 -> {
                    // zero page
                }
                case 1 -> {
                    for (int i = start; i + 8 <= end; i += 8) {
                        long v = 0xfffff80000000000L | (r.nextInt(1 << 20) << 4);
                        for (int k = 0; k < 8; k++) {
                            b[i + k] = (byte) (v >>> (8 * k));
                        }
                    }
                }
                case 2 -> {
                    byte[] text = ("C:\\Windows\\System32\\svchost.exe -k netsvcs page " + page + " ")
                            .getBytes(StandardCharsets.UTF_16LE);
                    for (int i = start; i < end; i++) {
                        b[i] = text[(i - start) % text.length];
                    }
                }
                case 3 -> {
                    for (int i = start; i < end; i++) {
                        b[i] = (byte) r.nextInt(256);
                    }
                }
                default -> {
                    for (int i = start; i < end; i += 4) {
                        b[i] = (byte) (i >>> 4);
                        if (i + 1 < end) {
                            b[i + 1] = (byte) r.nextInt(4);
                        }
                    }
                }
            }
        }
        return b;
    }

    static Path write(Path dir, String name, byte[] data) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, data);
        return p;
    }

    static byte[] readAll(Layer layer) {
        byte[] b = new byte[Math.toIntExact(layer.size())];
        layer.read(0, b, 0, b.length);
        return b;
    }

    static String sha1(byte[] data) {
        return HexFormat.of().formatHex(Digester.of("SHA1", data));
    }

    static String sha1(Layer layer) {
        Digester d = Digester.create("SHA1");
        byte[] buf = new byte[1 << 20];
        for (long o = 0; o < layer.size(); o += buf.length) {
            int n = (int) Math.min(buf.length, layer.size() - o);
            layer.read(o, buf, 0, n);
            d.update(buf, 0, n);
        }
        return Digester.hex(d.digest());
    }

    /**
     * Copies a volume member by member into {@code out}, letting {@code edit} change or drop members: it receives
     * a member name and its bytes and returns the new bytes, or null to drop the member.
     */
    static Path rewrite(Path in, Path out, EditMember edit) throws IOException {
        try (ZipContainer zip = ZipContainer.open(in); ZipWriter w = new ZipWriter(out, false)) {
            for (ZipMember m : zip.members()) {
                byte[] data = zip.readMember(m, Long.MAX_VALUE);
                byte[] edited = edit.apply(m.name(), data);
                if (edited != null) {
                    if (m.isStored()) {
                        w.addStored(m.name(), edited);
                    } else {
                        w.addDeflated(m.name(), edited);
                    }
                }
            }
            w.finish(zip.comment());
        }
        return out;
    }

    /** Changes the text of information.turtle. */
    static Path rewriteTurtle(Path in, Path out, UnaryOperator<String> edit) throws IOException {
        return rewrite(in, out, (name, data) -> name.equals("information.turtle")
                ? edit.apply(new String(data, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8) : data);
    }

    /** The URN {@link #split} gives the second volume. */
    static final String PART_B = "aff4://0b0b0b0b-0000-4000-8000-00000000000b";

    /**
     * Splits a written volume into {@code part-a.aff4} and {@code part-b.aff4} in {@code dir}: the map and
     * metadata stay in A, the data stream's bevies move to B (named by their absolute URN, as in another volume of
     * a set); both carry A's information.turtle with {@code moreTurtle} appended.
     */
    static Path[] split(Path volume, Path dir, String moreTurtle) throws IOException {
        Path a = dir.resolve("part-a.aff4");
        Path b = dir.resolve("part-b.aff4");
        try (ZipContainer in = ZipContainer.open(volume); ZipWriter wa = new ZipWriter(a, false);
                ZipWriter wb = new ZipWriter(b, false)) {
            String aUrn = in.comment();
            for (ZipMember m : in.members()) {
                byte[] data = in.readMember(m, Long.MAX_VALUE);
                if (m.name().startsWith("PhysicalMemory/data/")) {
                    wb.addStored(aUrn.replace("aff4://", "aff4%3A%2F%2F") + "/" + m.name(), data);
                } else if (m.name().equals("container.description")) {
                    wa.addStored(m.name(), data);
                    wb.addStored(m.name(), PART_B.getBytes(StandardCharsets.UTF_8));
                } else if (m.name().equals("information.turtle")) {
                    byte[] turtle = (new String(data, StandardCharsets.UTF_8) + moreTurtle).getBytes(
                            StandardCharsets.UTF_8);
                    wa.addDeflated(m.name(), turtle);
                    wb.addDeflated(m.name(), turtle);
                } else if (m.name().equals("version.txt")) {
                    wa.addDeflated(m.name(), data);
                    wb.addDeflated(m.name(), data);
                } else {
                    wa.addStored(m.name(), data);
                }
            }
            wa.finish(aUrn);
            wb.finish(PART_B);
        }
        return new Path[] {a, b};
    }

    @FunctionalInterface
    interface EditMember {
        byte[] apply(String name, byte[] data) throws IOException;
    }

    /** @return the members of a volume by name */
    static Map<String, ZipMember> members(Path volume) throws IOException {
        try (ZipContainer zip = ZipContainer.open(volume)) {
            Map<String, ZipMember> out = new java.util.LinkedHashMap<>();
            for (ZipMember m : zip.members()) {
                out.put(m.name(), m);
            }
            return out;
        }
    }
}
