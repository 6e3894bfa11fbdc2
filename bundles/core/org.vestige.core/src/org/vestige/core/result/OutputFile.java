package org.vestige.core.result;

import java.nio.file.Path;

/**
 * A file an analysis wrote (a process dump, a memory dump, an exported stream), with its hash so
 * the output is as accountable as the evidence.
 *
 * @param path        where it was written
 * @param size        its size in bytes
 * @param sha256      its SHA-256 in lower-case hex
 * @param description what it holds
 * @since 0.1
 */
public record OutputFile(Path path, long size, String sha256, String description) {
}
