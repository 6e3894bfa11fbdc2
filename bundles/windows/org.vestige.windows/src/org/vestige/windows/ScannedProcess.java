package org.vestige.windows;

/**
 * An _EPROCESS found by scanning physical memory.
 *
 * @param physical   physical address of the _EPROCESS body
 * @param poolHeader physical address of the _POOL_HEADER that carried the 'Proc' tag
 * @param process    its fields; {@code process.eprocess()} is the virtual address when it could be
 *                   recovered (from ActiveProcessLinks or an empty, self-referencing list head), else 0
 * @since 0.1
 */
public record ScannedProcess(long physical, long poolHeader, WinProcess process) {

    /** @return true when the process has exited (ExitTime set) */
    public boolean exited() {
        return process.exitTime() != null;
    }
}
