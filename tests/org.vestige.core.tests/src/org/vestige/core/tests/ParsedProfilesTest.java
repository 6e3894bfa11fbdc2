package org.vestige.core.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vestige.core.types.ParsedProfiles;
import org.vestige.core.types.Profile;
import org.vestige.core.types.ProfileCodec;
import org.vestige.core.types.StructType;
import org.vestige.testing.TestData;

/**
 * Parsed profiles: the kept compact form reads back as the ISF parses (types, fields, enums, symbols, identity),
 * is used on the next read of the same ISF bytes, and is parsed anew when damaged or when the ISF changed.
 */
public class ParsedProfilesTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final String TINY = """
            {"metadata": {"format": "6.2.0", "producer": {"name": "test", "architecture": "x64"},
                          "windows": {"pdb": {"GUID": "00112233445566778899aabbccddeeff", "age": 2,
                                              "database": "ntkrnlmp.pdb", "machine_type": 34404},
                                      "pe": {"major": 10, "minor": 0, "build": %d}}},
             "base_types": {"pointer": {"kind": "int", "size": 8, "signed": false, "endian": "little"},
                            "unsigned long": {"kind": "int", "size": 4, "signed": false, "endian": "little"}},
             "user_types": {
               "_LIST_ENTRY": {"kind": "struct", "size": 16, "fields": {
                   "Flink": {"offset": 0, "type": {"kind": "pointer", "subtype": {"kind": "struct", "name": "_LIST_ENTRY"}}},
                   "Blink": {"offset": 8, "type": {"kind": "pointer", "subtype": {"kind": "struct", "name": "_LIST_ENTRY"}}}}},
               "_EPROCESS": {"kind": "struct", "size": 256, "fields": {
                   "Flags": {"offset": 80, "type": {"kind": "bitfield", "bit_position": 3, "bit_length": 1,
                                                     "type": {"kind": "base", "name": "unsigned long"}}},
                   "Pool": {"offset": 96, "type": {"kind": "enum", "name": "_POOL_TYPE"}},
                   "Routine": {"offset": 104, "type": {"kind": "pointer", "subtype": {"kind": "function"}}},
                   "ImageFileName": {"offset": 200, "type": {"kind": "array", "count": 15,
                                                             "subtype": {"kind": "base", "name": "unsigned long"}}}}}},
             "enums": {"_POOL_TYPE": {"size": 4, "base": "unsigned long", "constants": {"NonPagedPool": 0, "PagedPool": 1}}},
             "symbols": {"PsActiveProcessHead": {"address": 12648960}}}
            """;

    private static byte[] tiny(int build) {
        return TINY.formatted(build).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void theKeptFormReadsBackAsTheIsfParses() throws IOException {
        ParsedProfiles parsed = ParsedProfiles.in(tmp.getRoot().toPath());
        byte[] isf = tiny(19041);
        Profile first = parsed.read(isf, "tiny.json");
        assertTrue(Files.isRegularFile(parsed.fileFor(isf)));
        Profile second = parsed.read(isf, "tiny.json");
        assertEquals(describe(first), describe(second));
        assertEquals("tiny.json", second.source());
        assertEquals(104, second.offset("_EPROCESS", "Routine"));
    }

    @Test
    public void anInstalledSizeIsfReadsBackTheSame() throws IOException {
        Path file = TestData.requireProfile("isf/win10_x64_19041.json.xz");
        ParsedProfiles parsed = ParsedProfiles.in(tmp.getRoot().toPath());
        byte[] isf = Files.readAllBytes(file);
        Profile first = parsed.read(isf, "x");
        Profile second = parsed.read(isf, "x");
        assertEquals(describe(first), describe(second));
    }

    @Test
    public void theKeptFormIsUsedForTheSameIsfBytes() throws IOException {
        ParsedProfiles parsed = ParsedProfiles.in(tmp.getRoot().toPath());
        byte[] isf = tiny(19041);
        parsed.read(isf, "tiny.json");
        // keep another build's form under this ISF's name: only a read of the kept form can answer 22000
        keep(parsed.fileFor(isf), parsed.read(tiny(22000), "other.json"));
        assertEquals(22000, parsed.read(isf, "tiny.json").identity().build());
        assertEquals("a changed ISF is parsed anew", 17763, parsed.read(tiny(17763), "tiny.json").identity().build());
    }

    @Test
    public void aDamagedOrTruncatedFormIsParsedAgain() throws IOException {
        ParsedProfiles parsed = ParsedProfiles.in(tmp.getRoot().toPath());
        byte[] isf = tiny(19041);
        String expected = describe(parsed.read(isf, "tiny.json"));
        Path kept = parsed.fileFor(isf);
        byte[] whole = Files.readAllBytes(kept);

        byte[] flipped = whole.clone();
        flipped[flipped.length / 2] ^= 0x40;
        Files.write(kept, flipped);
        assertEquals(expected, describe(parsed.read(isf, "tiny.json")));
        assertFalse("the damaged form was replaced", java.util.Arrays.equals(flipped, Files.readAllBytes(kept)));

        Files.write(kept, java.util.Arrays.copyOf(whole, whole.length / 3));
        assertEquals(expected, describe(parsed.read(isf, "tiny.json")));
        assertEquals(whole.length, Files.size(kept));
    }

    private static void keep(Path file, Profile p) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        ProfileCodec.write(p, new DataOutputStream(body));
        CRC32C crc = new CRC32C();
        crc.update(body.toByteArray());
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        all.write(ByteBuffer.allocate(8).putLong(crc.getValue()).array());
        all.write(body.toByteArray());
        Files.write(file, all.toByteArray());
    }

    /** @return everything a profile holds, in a comparable order */
    private static String describe(Profile p) {
        Map<String, String> structs = new TreeMap<>();
        for (StructType s : p.structs().values()) {
            structs.put(s.name(), s.kind() + " " + s.size() + " " + s.fields());
        }
        Map<String, String> enums = new TreeMap<>();
        p.enums().values().forEach(e -> enums.put(e.name(), e.size() + " " + e.base() + " " + new TreeMap<>(e
                .constants())));
        return p.identity() + " " + p.typesOnly() + " " + p.pointerSize() + "\n" + new TreeMap<>(p.baseTypes())
                + "\n" + structs + "\n" + enums + "\n" + new TreeMap<>(p.symbols());
    }
}
