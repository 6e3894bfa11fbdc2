package org.vestige.core.evidence;

/**
 * The MD5, SHA-1 and SHA-256 of a file, in lower-case hex.
 *
 * @since 0.1
 */
public record Digests(String md5, String sha1, String sha256) {
}
