package org.vestige.fuzz;

import org.vestige.layer.vmware.VmwareFormat;
import org.vestige.layer.vmware.VmwareState;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the VMware checkpoint reader (.vmss/.vmsn header, group table, tags, blocks, the memory group's
 * region map) through {@link VmwareFormat}, on a state file beside a small {@code .vmem} that is read
 * unless the state file holds its memory; see {@link FormatHarness}.
 */
class VmwareFuzzTest {

    private static final byte[] VMEM = new byte[64 * 1024];

    @FuzzTest(maxDuration = "2m")
    void open(byte[] data) {
        InputFiles.write("input.vmem", VMEM);
        try {
            FormatHarness.run(new VmwareFormat(), "input.vmss", data, evidence -> {
                VmwareState state = VmwareFormat.state(evidence);
                String.valueOf(state);
            });
        } finally {
            InputFiles.delete("input.vmem");
        }
    }
}
