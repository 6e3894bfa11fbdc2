package org.vestige.registry.credentials;

/**
 * Credentials could not be recovered: a key or value the algorithm needs is absent or malformed, or a
 * decryption produced something that fails its check. The message names the key or value concerned.
 *
 * @since 0.1
 */
public class CredentialException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public CredentialException(String message) {
        super(message);
    }

    public CredentialException(String message, Throwable cause) {
        super(message, cause);
    }
}
