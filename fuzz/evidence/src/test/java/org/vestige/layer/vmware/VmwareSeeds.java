package org.vestige.layer.vmware;

import java.util.List;

/**
 * Small VMware state files for the fuzzing corpus, made by the VMware tests' {@link CheckpointBuilder}: one
 * holding its memory in a {@code Memory} block with a region map, one that expects a {@code .vmem} beside it.
 */
public final class VmwareSeeds {

    private static final long[][] REGIONS = {{0, 0, 8}, {16, 8, 8}};

    private VmwareSeeds() {
    }

    public static List<byte[]> states(byte[] memory) {
        return List.of(state(memory), state(null));
    }

    private static byte[] state(byte[] memory) {
        CheckpointBuilder b = new CheckpointBuilder();
        b.group("Checkpoint").u32("memSize", memory == null ? 64 : memory.length >> 20);
        b.group("cpu").u32("cpu:numVCPUs", 1).u64("CR64", 0x80050033L, 0, 0).u64("CR64", 0x1ad000L, 0, 3);
        CheckpointBuilder.Group group = b.group("memory").u32("align_mask", 0xffff);
        CheckpointBuilder.regions(group, REGIONS);
        if (memory != null) {
            group.block("Memory", memory, 0xf00, 0, 0);
        }
        return b.build();
    }
}
