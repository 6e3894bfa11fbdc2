package org.vestige.plugin.profiles.pdb;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small MSF 7.0 PDBs for tests: a PDB information stream, a TPI stream of the records given,
 * and a DBI stream with no publics, laid out in 512-byte blocks (superblock, block map, directory,
 * streams). Damage is made by changing the written bytes.
 */
final class PdbBuilder {

    static final int BLOCK = 512;

    private final ByteArrayOutputStream types = new ByteArrayOutputStream();
    private int typeCount;

    /** Appends a type record (its kind and data); returns its type index. */
    int type(int leaf, byte[] data) {
        int length = 2 + data.length;
        types.write(length & 0xff);
        types.write(length >> 8);
        types.write(leaf & 0xff);
        types.write(leaf >> 8);
        types.writeBytes(data);
        return 0x1000 + typeCount++;
    }

    /** @return the little-endian bytes of the values: Integer as 4 bytes, Short as 2, String zero-terminated */
    static byte[] le(Object... values) {
        ByteBuffer b = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        for (Object v : values) {
            switch (v) {
                case Integer i -> b.putInt(i);
                case Short s -> b.putShort(s);
                case Byte x -> b.put(x);
                case String s -> b.put(s.getBytes(StandardCharsets.UTF_8)).put((byte) 0);
                default -> throw new IllegalArgumentException(String.valueOf(v));
            }
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    byte[] build() {
        byte[] info = le(20000404, 0x5f5e100, 1, 0x9ac8f93c, (short) 0xe9be, (short) 0x44b5, 0xdff2aa90, 0xa3a7bea2);
        byte[] records = types.toByteArray();
        ByteBuffer tpi = ByteBuffer.allocate(56 + records.length).order(ByteOrder.LITTLE_ENDIAN);
        tpi.putInt(20040203).putInt(56).putInt(0x1000).putInt(0x1000 + typeCount).putInt(records.length);
        tpi.putShort((short) -1).putShort((short) -1).putInt(4).putInt(0x3ffff);
        tpi.position(56);
        tpi.put(records);
        ByteBuffer dbi = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        dbi.putInt(-1).putInt(19990903).putInt(1).putShort((short) -1).putShort((short) 0x8e00).putShort((short) -1)
                .putShort((short) 0).putShort((short) -1).putShort((short) 0);
        dbi.position(58);
        dbi.putShort((short) 0x8664);
        return msf(List.of(new byte[0], info, tpi.array(), dbi.array()));
    }

    /** Lays streams out as an MSF 7.0 file. */
    static byte[] msf(List<byte[]> streams) {
        List<Integer> directory = new ArrayList<>();
        directory.add(streams.size());
        for (byte[] s : streams) {
            directory.add(s.length);
        }
        int next = 3; // 0 superblock, 1 block map, 2 directory
        List<byte[]> blocks = new ArrayList<>();
        for (byte[] s : streams) {
            for (int at = 0; at < s.length; at += BLOCK) {
                directory.add(next++);
                byte[] b = new byte[BLOCK];
                System.arraycopy(s, at, b, 0, Math.min(BLOCK, s.length - at));
                blocks.add(b);
            }
        }
        if (directory.size() * 4 > BLOCK) {
            throw new IllegalArgumentException("directory larger than one block");
        }
        ByteBuffer file = ByteBuffer.allocate(next * BLOCK).order(ByteOrder.LITTLE_ENDIAN);
        file.put(MsfFile.MAGIC).putInt(BLOCK).putInt(1).putInt(next).putInt(directory.size() * 4).putInt(0).putInt(1);
        file.position(BLOCK).putInt(2);
        file.position(2 * BLOCK);
        directory.forEach(file::putInt);
        file.position(3 * BLOCK);
        blocks.forEach(file::put);
        return file.array();
    }
}
