package org.vestige.layer.crashdump;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The streams the real test dumps do not carry (handles, unloaded modules, memory info, thread names,
 * comments, a version 4 misc info), laid out by hand as dbghelp documents them.
 */
public class MinidumpStreamsTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private final ByteBuffer b = ByteBuffer.allocate(0x3000).order(ByteOrder.LITTLE_ENDIAN);
    private int strings = 0x2000;
    private int directory = 0x20;
    private int streamCount;

    /** Appends a MINIDUMP_STRING to the string area and returns its RVA. */
    private int string(String s) {
        int at = strings;
        byte[] text = s.getBytes(StandardCharsets.UTF_16LE);
        b.putInt(at, text.length);
        b.put(at + 4, text);
        strings = (at + 4 + text.length + 2 + 3) & ~3;
        return at;
    }

    private void stream(int type, int rva, int size) {
        b.putInt(directory, type);
        b.putInt(directory + 4, size);
        b.putInt(directory + 8, rva);
        directory += 12;
        streamCount++;
    }

    private Path build() throws Exception {
        b.putInt(0, MinidumpHeader.SIGNATURE);
        b.putInt(4, MinidumpHeader.VERSION | (0x1234 << 16));
        b.putInt(8, streamCount);
        b.putInt(12, 0x20);
        b.putInt(20, 1_700_000_100);
        Path p = tmp.getRoot().toPath().resolve("streams.dmp");
        Files.write(p, b.array());
        return p;
    }

    @Test
    public void auxiliaryStreams() throws Exception {
        // system info: x64, Windows 11 22621
        b.putShort(0x100, (short) 9).put(0x106, (byte) 4).put(0x107, (byte) 1);
        b.putInt(0x108, 10).putInt(0x10c, 0).putInt(0x110, 22621).putInt(0x114, 2).putInt(0x118, string(""));
        stream(MinidumpStream.SYSTEM_INFO, 0x100, 56);

        // handle data: two MINIDUMP_HANDLE_DESCRIPTOR_2 (40 bytes)
        b.putInt(0x200, 16).putInt(0x204, 40).putInt(0x208, 2);
        b.putLong(0x210, 0x4).putInt(0x218, string("File")).putInt(0x21c, string("\\Device\\HarddiskVolume3\\secret.txt"))
                .putInt(0x220, 0).putInt(0x224, 0x120089).putInt(0x228, 1).putInt(0x22c, 32770);
        b.putLong(0x238, 0x8).putInt(0x240, string("Key")).putInt(0x244, 0).putInt(0x24c, 0x20019).putInt(0x250, 1)
                .putInt(0x254, 2);
        stream(MinidumpStream.HANDLE_DATA, 0x200, 16 + 2 * 40);

        // unloaded modules
        b.putInt(0x300, 12).putInt(0x304, 24).putInt(0x308, 1);
        b.putLong(0x30c, 0x7ffa_0000_0000L).putInt(0x314, 0x5000).putInt(0x318, 0x1234).putInt(0x31c, 0x5f00_0000)
                .putInt(0x320, string("C:\\Windows\\System32\\old.dll"));
        stream(MinidumpStream.UNLOADED_MODULE_LIST, 0x300, 12 + 24);

        // memory info list: a committed image page and a free region
        b.putInt(0x400, 16).putInt(0x404, 48).putLong(0x408, 2);
        b.putLong(0x410, 0x7ff6_1bc8_0000L).putLong(0x418, 0x7ff6_1bc8_0000L).putInt(0x420, 0x80).putLong(0x428, 0x1000)
                .putInt(0x430, 0x1000).putInt(0x434, 0x2).putInt(0x438, 0x1000000);
        b.putLong(0x440, 0x7ff6_1bc8_1000L).putLong(0x448, 0).putInt(0x450, 0).putLong(0x458, 0x10000)
                .putInt(0x460, 0x10000).putInt(0x464, 0x1).putInt(0x468, 0);
        stream(MinidumpStream.MEMORY_INFO_LIST, 0x400, 16 + 2 * 48);

        // thread names: MINIDUMP_THREAD_NAME is a thread id and a 64-bit RVA, packed to 12 bytes
        b.putInt(0x500, 1).putInt(0x504, 0x1708).putLong(0x508, string("worker pool"));
        stream(MinidumpStream.THREAD_NAMES, 0x500, 16);

        byte[] comment = "taken by ProcDump\0".getBytes(StandardCharsets.UTF_16LE);
        b.put(0x600, comment);
        stream(MinidumpStream.COMMENT_W, 0x600, comment.length);

        // misc info version 4 (832 bytes) with process id, times and build string
        b.putInt(0x700, 832).putInt(0x704, MiscInfo.PROCESS_ID | MiscInfo.PROCESS_TIMES | MiscInfo.BUILDSTRING)
                .putInt(0x708, 77).putInt(0x70c, 1_700_000_000).putInt(0x710, 3).putInt(0x714, 4);
        b.put(0x700 + 232, "22621.1.amd64fre.ni_release.220506-1250".getBytes(StandardCharsets.UTF_16LE));
        stream(MinidumpStream.MISC_INFO, 0x700, 832);

        // a Breakpad stream Vestige does not decode, and a duplicate stream
        stream(0x47670001, 0x100, 12);
        stream(MinidumpStream.COMMENT_W, 0x600, 4);

        try (Minidump m = Minidump.open(build())) {
            assertEquals(0x1234, m.header().implementationVersion());
            assertEquals(Instant.ofEpochSecond(1_700_000_100), m.header().timeDateStamp());
            assertEquals(ProcessorArchitecture.AMD64, m.systemInfo().orElseThrow().architecture());
            assertEquals(22621, m.systemInfo().orElseThrow().buildNumber());

            List<HandleDescriptor> h = m.contents().handles();
            assertEquals(List.of(
                    new HandleDescriptor(0x4, "File", "\\Device\\HarddiskVolume3\\secret.txt", 0, 0x120089, 1, 32770),
                    new HandleDescriptor(0x8, "Key", "", 0, 0x20019, 1, 2)), h);

            assertEquals(List.of(new UnloadedModule("C:\\Windows\\System32\\old.dll", 0x7ffa_0000_0000L, 0x5000, 0x1234,
                    0x5f00_0000)), m.contents().unloadedModules());

            List<MemoryInfo> info = m.contents().memoryInfo();
            assertEquals(new MemoryInfo(0x7ff6_1bc8_0000L, 0x7ff6_1bc8_0000L, 0x80, 0x1000, 0x1000, 0x2, 0x1000000), info.get(0));
            assertEquals(0x10000, info.get(1).state());

            assertEquals(Map.of(0x1708, "worker pool"), m.contents().threadNames());
            assertEquals("taken by ProcDump", m.contents().comment().orElseThrow());

            MiscInfo misc = m.miscInfo().orElseThrow();
            assertEquals(832, misc.sizeOfInfo());
            assertEquals(77L, misc.processId().orElseThrow());
            assertEquals(Instant.ofEpochSecond(1_700_000_000), misc.processCreateTime().orElseThrow());
            assertEquals(3L, misc.processUserTime().orElseThrow());
            assertEquals(4L, misc.processKernelTime().orElseThrow());
            assertTrue(misc.processorMaxMhz().isEmpty());
            assertEquals("22621.1.amd64fre.ni_release.220506-1250", misc.buildString().orElseThrow());

            assertEquals("BreakpadInfoStream", m.contents().streams().get(7).typeName());
            assertEquals(1, m.problems().size());
            assertTrue(m.problems().get(0), m.problems().get(0).contains("CommentStreamW appears more than once"));
            assertTrue(m.modules().isEmpty());
            assertTrue(m.memoryRanges().isEmpty());
            assertEquals(0, m.memory().read(0x7ff6_1bc8_0000L, new byte[16], 0, 16));
        }
    }
}
