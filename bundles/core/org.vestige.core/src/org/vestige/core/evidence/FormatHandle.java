package org.vestige.core.evidence;

/**
 * A contributed evidence format as the case sees it: id and name known up front, the
 * implementation created only when needed.
 *
 * @since 0.1
 */
public interface FormatHandle {

    String id();

    String name();

    /**
     * @return the format implementation
     * @throws IllegalStateException when the contribution cannot be instantiated, naming its bundle
     */
    EvidenceFormat format();
}
