package org.vestige.windows;

import static org.vestige.windows.MemoryReader.hex;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.vestige.core.layer.Layer;
import org.vestige.core.types.Profile;
import org.vestige.windows.internal.Bytes;
import org.vestige.windows.internal.FieldPath;

/**
 * Reads a process's user-mode view of itself through the process's address space: the PEB, its
 * {@code ProcessParameters} (command line, image path, current directory, environment block) and
 * its loader lists ({@code PEB.Ldr}). Offsets come from the profile. Unreadable pages never throw:
 * each field is a {@link Readout} with the reason it is missing.
 *
 * @since 0.1
 */
public final class PebReader {

    /** The longest UNICODE_STRING accepted from process parameters (the 32767-character limit). */
    private static final int MAX_STRING_BYTES = 0xFFFE;
    /** The environment block is read at most this far when EnvironmentSize does not bound it. */
    public static final int MAX_ENVIRONMENT_BYTES = 1 << 20;

    private final MemoryReader reader;
    private final Profile profile;
    private final int pebSpan;
    private final int imageBase;
    private final int ldr;
    private final int parameters;
    private final int paramsSpan;
    private final int commandLine;
    private final int imagePath;
    private final int currentDirectory;
    private final int environment;
    private final int environmentSize;

    /**
     * @param process the process's virtual address space
     * @throws java.util.NoSuchElementException naming the PEB field the profile lacks
     */
    public PebReader(Layer process, Profile profile) {
        this.reader = new MemoryReader(Objects.requireNonNull(process));
        this.profile = Objects.requireNonNull(profile);
        imageBase = (int) FieldPath.require(profile, "_PEB", "ImageBaseAddress").offset();
        ldr = (int) FieldPath.require(profile, "_PEB", "Ldr").offset();
        parameters = (int) FieldPath.require(profile, "_PEB", "ProcessParameters").offset();
        pebSpan = Math.max(imageBase, Math.max(ldr, parameters)) + 8;
        String pp = "_RTL_USER_PROCESS_PARAMETERS";
        commandLine = (int) FieldPath.require(profile, pp, "CommandLine").offset();
        imagePath = (int) FieldPath.require(profile, pp, "ImagePathName").offset();
        environment = (int) FieldPath.require(profile, pp, "Environment").offset();
        int cd = FieldPath.offsetOrMinus1(profile, pp, "CurrentDirectory.DosPath");
        currentDirectory = cd >= 0 ? cd : FieldPath.offsetOrMinus1(profile, pp, "CurrentDirectory");
        environmentSize = FieldPath.offsetOrMinus1(profile, pp, "EnvironmentSize");
        paramsSpan = Math.max(Math.max(commandLine, imagePath) + 16, Math.max(Math.max(environment + 8,
                currentDirectory + 16), environmentSize + 8));
    }

    /** Reads the PEB at {@code peb} and what its process parameters point to. */
    public ProcessEnvironment read(long peb) {
        Readout<byte[]> pebBytes = peb == 0 ? Readout.missing("the process has no PEB")
                : reader.bytes(peb, pebSpan, "PEB");
        Readout<Long> base = pebBytes.map(b -> Bytes.u64(b, imageBase));
        Readout<byte[]> params = pebBytes.flatMap(b -> {
            long va = Bytes.u64(b, parameters);
            return va == 0 ? Readout.missing("PEB at " + hex(peb) + ": ProcessParameters is null")
                    : reader.bytes(va, paramsSpan, "ProcessParameters");
        });
        Readout<String> cmd = params.flatMap(b -> reader.unicodeString(b, commandLine, MAX_STRING_BYTES,
                "CommandLine"));
        Readout<String> image = params.flatMap(b -> reader.unicodeString(b, imagePath, MAX_STRING_BYTES,
                "ImagePathName"));
        Readout<String> cwd = currentDirectory < 0 ? Readout.missing("profile " + profile.source()
                + " has no _RTL_USER_PROCESS_PARAMETERS.CurrentDirectory")
                : params.flatMap(b -> reader.unicodeString(b, currentDirectory, MAX_STRING_BYTES, "CurrentDirectory"));
        Readout<List<EnvironmentVariable>> env = params.flatMap(b -> environment(Bytes.u64(b, environment),
                environmentSize >= 0 ? Bytes.u64(b, environmentSize) : 0));
        return new ProcessEnvironment(peb, base, cmd, image, cwd, env);
    }

    /**
     * Reads an environment block: {@code size} bytes when the process parameters give it (and it is
     * sane), otherwise page by page up to the double NUL, at most {@link #MAX_ENVIRONMENT_BYTES}.
     */
    Readout<List<EnvironmentVariable>> environment(long va, long size) {
        if (va == 0) {
            return Readout.missing("ProcessParameters.Environment is null");
        }
        if (size > 0 && size <= MAX_ENVIRONMENT_BYTES) {
            return reader.bytes(va, (int) size, "environment block").flatMap(b -> parse(b, b.length, va));
        }
        byte[] all = new byte[0];
        long at = va;
        while (all.length < MAX_ENVIRONMENT_BYTES) {
            int n = (int) Math.min(4096 - (at & 0xfff), MAX_ENVIRONMENT_BYTES - all.length);
            Readout<byte[]> chunk = reader.bytes(at, n, "environment block");
            if (!chunk.isPresent()) {
                return Readout.missing(chunk.cause(), chunk.reason());
            }
            byte[] grown = java.util.Arrays.copyOf(all, all.length + n);
            System.arraycopy(chunk.get(), 0, grown, all.length, n);
            all = grown;
            if (terminator(all) >= 0) {
                return parse(all, all.length, va);
            }
            at += n;
        }
        return Readout.missing("environment block at " + hex(va) + ": no terminating empty entry in the first "
                + MAX_ENVIRONMENT_BYTES + " bytes");
    }

    /** @return the char index of the first of two consecutive NUL characters, or -1 */
    private static int terminator(byte[] b) {
        for (int i = 0; i + 3 < b.length; i += 2) {
            if (b[i] == 0 && b[i + 1] == 0 && b[i + 2] == 0 && b[i + 3] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static Readout<List<EnvironmentVariable>> parse(byte[] b, int length, long va) {
        int end = terminator(b);
        if (end < 0) {
            // a block whose size ends it without the empty entry: take what is there
            end = length & ~1;
        }
        String text = new String(b, 0, end, StandardCharsets.UTF_16LE);
        List<EnvironmentVariable> vars = new ArrayList<>();
        for (String entry : text.split("\0")) {
            if (!entry.isEmpty()) {
                vars.add(EnvironmentVariable.parse(entry));
            }
        }
        return Readout.of(List.copyOf(vars));
    }

    /** @return PEB.ImageBaseAddress (where the executable is mapped), or why it cannot be read */
    public Readout<Long> imageBase(long peb) {
        return reader.qword(peb + imageBase, "PEB.ImageBaseAddress");
    }

    /** @return PEB.Ldr, or why it cannot be read */
    public Readout<Long> ldr(long peb) {
        return reader.qword(peb + ldr, "PEB.Ldr");
    }

    /**
     * Walks one of the PEB's loader lists.
     *
     * @throws java.util.NoSuchElementException when the profile lacks the list
     */
    public Readout<ModuleList> modules(long peb, ModuleWalker.Order order) {
        int head = (int) FieldPath.require(profile, "_PEB_LDR_DATA", order.head).offset();
        return ldr(peb).flatMap(l -> l == 0 ? Readout.missing("PEB at " + hex(peb) + ": Ldr is null (loader not "
                + "initialised)") : Readout.of(ModuleWalker.user(reader.layer(), profile).walk(l + head, order)));
    }
}
