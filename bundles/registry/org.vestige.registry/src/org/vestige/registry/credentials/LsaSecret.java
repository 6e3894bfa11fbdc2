package org.vestige.registry.credentials;

import java.util.List;
import java.util.Optional;

/**
 * One LSA secret ({@code Policy\Secrets\<name>}): its current value ({@code CurrVal}) and previous
 * value ({@code OldVal}) decrypted, the current one interpreted.
 *
 * @since 0.1
 */
public final class LsaSecret {

    private final String name;
    private final byte[] current;
    private final byte[] previous;
    private final List<String> notes;

    LsaSecret(String name, byte[] current, byte[] previous, List<String> notes) {
        this.name = name;
        this.current = current;
        this.previous = previous;
        this.notes = List.copyOf(notes);
    }

    /** @return the secret's name (DPAPI_SYSTEM, NL$KM, $MACHINE.ACC, _SC_service, DefaultPassword, ...) */
    public String name() {
        return name;
    }

    /** @return the decrypted current value, empty when there is none or it could not be decrypted */
    public Optional<byte[]> current() {
        return Optional.ofNullable(current).map(byte[]::clone);
    }

    /** @return the decrypted previous value, empty when there is none or it could not be decrypted */
    public Optional<byte[]> previous() {
        return Optional.ofNullable(previous).map(byte[]::clone);
    }

    /** @return the current value interpreted by the secret's name */
    public Optional<SecretValue> decoded() {
        return Optional.ofNullable(current).map(c -> SecretValue.decode(name, c));
    }

    /** @return the previous value interpreted by the secret's name */
    public Optional<SecretValue> decodedPrevious() {
        return Optional.ofNullable(previous).map(c -> SecretValue.decode(name, c));
    }

    /** @return what could not be read or decrypted */
    public List<String> notes() {
        return notes;
    }

    @Override
    public String toString() {
        return name + ":" + decoded().map(SecretValue::display).orElse("(none) " + notes);
    }
}
