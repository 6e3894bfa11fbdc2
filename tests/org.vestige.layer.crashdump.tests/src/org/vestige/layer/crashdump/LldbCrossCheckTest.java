package org.vestige.layer.crashdump;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.testing.TestData;

/**
 * Compares Vestige's minidump reading and writing with an independent reader, LLVM's lldb (its
 * minidump plugin), when it is installed ({@code apt-get install lldb} on Debian); skipped otherwise.
 * lldb lists the modules (CodeView GUID and age, base, path), the threads (id and program counter,
 * the exception context for the faulting thread) and the process id.
 */
public class LldbCrossCheckTest {

    private static final Pattern MODULE = Pattern.compile("^\\[\\s*\\d+\\]\\s+(?:(\\S+)\\s+)?0x([0-9a-fA-F]+)\\s+(.*?)\\s*$");
    private static final Pattern THREAD = Pattern.compile("tid = 0x([0-9a-fA-F]+), 0x([0-9a-fA-F]+)");
    private static final Pattern PROCESS = Pattern.compile("^Process (\\d+) ");

    private static String lldb;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @BeforeClass
    public static void findLldb() {
        for (String candidate : List.of("lldb", "lldb-14", "lldb-15", "lldb-16")) {
            try {
                Process p = new ProcessBuilder(candidate, "--version").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    lldb = candidate;
                    return;
                }
            } catch (IOException e) {
                // not installed under this name
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    record Seen(List<String> modules, List<String> threads, String processId, List<String> other) {
    }

    /** Runs lldb on {@code dump} and returns its module lines ("uuid base name"), thread lines ("tid pc") and pid. */
    private Seen lldb(Path dump, String... commands) throws Exception {
        assumeTrue("lldb is not installed (apt-get install lldb); skipping the independent minidump cross-check", lldb != null);
        Path output = tmp.newFile().toPath();
        List<String> command = new ArrayList<>(List.of(lldb, "--no-lldbinit", "--batch", "-c", dump.toString(), "-o",
                "image list", "-o", "thread list"));
        for (String c : commands) {
            command.add("-o");
            command.add(c);
        }
        Process p = new ProcessBuilder(command).redirectOutput(output.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("lldb did not finish within 120 s on " + dump);
        }
        List<String> modules = new ArrayList<>();
        List<String> threads = new ArrayList<>();
        List<String> other = new ArrayList<>();
        String pid = null;
        for (String line : Files.readAllLines(output, StandardCharsets.UTF_8)) {
            Matcher m = MODULE.matcher(line);
            if (m.matches()) {
                modules.add("%s 0x%x %s".formatted(m.group(1) == null ? "-" : m.group(1), Long.parseUnsignedLong(m.group(2), 16), m.group(3)));
                continue;
            }
            Matcher t = THREAD.matcher(line);
            if (t.find()) {
                threads.add("0x%x 0x%x".formatted(Long.parseLong(t.group(1), 16), Long.parseUnsignedLong(t.group(2), 16)));
                continue;
            }
            Matcher pr = PROCESS.matcher(line);
            if (pr.find()) {
                pid = pr.group(1);
            } else {
                other.add(line.strip());
            }
        }
        return new Seen(modules, threads, pid, other);
    }

    /** What Vestige reads from {@code dump}, in lldb's notation. */
    private static Seen vestige(Path dump) throws Exception {
        try (Minidump m = Minidump.open(dump)) {
            List<String> modules = new ArrayList<>();
            for (MinidumpModule mod : m.modules()) {
                String uuid = mod.codeView().filter(cv -> cv.format().equals("RSDS"))
                        .map(cv -> "%s-%08X".formatted(cv.guid(), cv.age())).orElse("-");
                modules.add("%s 0x%x %s".formatted(uuid, mod.baseOfImage(), mod.name()));
            }
            List<String> threads = new ArrayList<>();
            Optional<MinidumpException> e = m.exception();
            for (MinidumpThread t : m.threads()) {
                CpuContext c = e.filter(x -> x.threadId() == t.threadId()).flatMap(MinidumpException::context)
                        .or(t::context).orElseThrow();
                threads.add("0x%x 0x%x".formatted(t.threadId(), c.instructionPointer()));
            }
            String pid = m.miscInfo().flatMap(x -> x.processId().isPresent()
                    ? Optional.of(Long.toString(x.processId().getAsLong())) : Optional.empty()).orElse(null);
            return new Seen(modules, threads, pid, List.of());
        }
    }

    private static void assertSameListing(Seen theirs, Seen ours) {
        assertEquals(theirs.modules(), ours.modules());
        assertEquals(theirs.threads(), ours.threads());
        assertEquals(theirs.processId(), ours.processId());
    }

    @Test
    public void realX64DumpReadsAsLldbReadsIt() throws Exception {
        Path dump = TestData.require("minidump/invalid-parameter.dmp");
        Seen theirs = lldb(dump);
        assertEquals(31, theirs.modules().size());
        assertSameListing(theirs, vestige(dump));
    }

    @Test
    public void realX86DumpReadsAsLldbReadsIt() throws Exception {
        Path dump = TestData.require("minidump/test.dmp");
        Seen theirs = lldb(dump);
        assertEquals(13, theirs.modules().size());
        assertSameListing(theirs, vestige(dump));
    }

    @Test
    public void writtenDumpReadsInLldbAsInVestige() throws Exception {
        Path out = tmp.getRoot().toPath().resolve("written.dmp");
        MinidumpWriterTest.x64Writer().write(out, MinidumpWriterTest.process());
        Seen theirs = lldb(out, "memory read 0x%x -c 16".formatted(MinidumpWriterTest.EXE),
                "register read rsp rbp rax");
        assertEquals(List.of(
                "368A7C3A-63A6-44D9-BF65-9B2F4799A1C2-00000003 0x7ff61bc80000 C:\\build\\CrashTest.exe",
                "- 0x7ff806ab0000 C:\\Windows\\System32\\ntdll.dll"), theirs.modules());
        assertEquals(List.of("0x1708 0x7ff806b49f74", "0x1350 0x7ff61bcfa9a3"), theirs.threads());
        assertEquals("6256", theirs.processId());
        assertSameListing(theirs, vestige(out));
        // memory and registers as lldb reads them from the written file
        byte[] image = MinidumpWriterTest.process().expected(MinidumpWriterTest.EXE, 16);
        StringBuilder hex = new StringBuilder("0x%x:".formatted(MinidumpWriterTest.EXE));
        for (byte b : image) {
            hex.append(" %02x".formatted(b & 0xff));
        }
        assertTrue(theirs.other().toString(), theirs.other().stream().anyMatch(l -> l.startsWith(hex.toString())));
        assertTrue(theirs.other().toString(), theirs.other().contains("rsp = 0x%016x".formatted(MinidumpWriterTest.STACK + 0x1000)));
        assertTrue(theirs.other().toString(), theirs.other().contains("rax = 0x%016x".formatted(0x1234)));
    }
}
