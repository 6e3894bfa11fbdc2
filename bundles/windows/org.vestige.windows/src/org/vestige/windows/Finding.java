package org.vestige.windows;

import java.util.Objects;

/**
 * One sign of compromise found in memory: what it is, how serious, the process it is in (when it is in one),
 * the address it is at (when it has one) and the evidence that shows it, in the analyst's words.
 *
 * @param kind     what was found
 * @param severity how strongly it suggests compromise
 * @param process  the process it concerns, or null for the kernel
 * @param address  the virtual address it is at, or -1 when it has none
 * @param evidence what shows it: the values read and what they were compared with
 * @since 0.1
 */
public record Finding(Kind kind, Severity severity, WinProcess process, long address, String evidence) {

    /** How strongly a finding suggests compromise. */
    public enum Severity {
        /** seen on compromised machines and not on clean ones: look at it first */
        HIGH,
        /** unusual on a clean machine, with benign explanations */
        MEDIUM,
        /** worth a look when the others have been seen to */
        LOW
    }

    /** What a finding is. */
    public enum Kind {
        /** a running process found by the pool scan and not on the active process list */
        HIDDEN_PROCESS("process unlinked from the active list"),
        /** a process whose image base does not hold the executable its PEB names (hollowing, masquerading) */
        HOLLOWED_PROCESS("process image not what its PEB names"),
        /** a system process started by a process other than the one that starts it */
        UNEXPECTED_PARENT("system process with an unexpected parent"),
        /** a system process that runs once, running more than once */
        UNEXPECTED_INSTANCES("system process running more than once"),
        /** an image mapped into a process but missing from its PEB's loader lists */
        UNLINKED_MODULE("module unlinked from the loader lists"),
        /** a thread whose start address lies outside every mapped image */
        THREAD_OUTSIDE_IMAGES("thread starting outside every image"),
        /** committed private memory that is executable and holds something: code written, not loaded */
        EXECUTABLE_PRIVATE_MEMORY("executable private memory"),
        /** executable image pages the process holds changed copies of: inline hooks and patches */
        MODIFIED_IMAGE_CODE("image code changed in memory"),
        /** a kernel loader entry in pool that is not on the loaded-module list */
        HIDDEN_KERNEL_MODULE("kernel module unlinked from the module list"),
        /** a driver object whose code starts in no module on the loaded-module list */
        DRIVER_OUTSIDE_MODULES("driver starting outside every listed module"),
        /** a system service whose routine lies outside the kernel image */
        HOOKED_SYSTEM_SERVICE("system service hooked outside the kernel");

        private final String title;

        Kind(String title) {
            this.title = title;
        }

        /** @return the kind in a few words, as tables show it */
        public String title() {
            return title;
        }
    }

    public Finding {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(evidence, "evidence");
    }
}
