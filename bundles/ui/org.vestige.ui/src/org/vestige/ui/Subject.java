package org.vestige.ui;

import java.util.Map;
import java.util.Optional;

/**
 * What a selection in a view is about (a process, an address, a module, a file) as the values of the
 * options analyses take ({@code pid}, {@code address}...). Views put subjects in their selection and the
 * workbench's selection service carries them: an analysis form opens with them filled in, the Memory view
 * goes to the address.
 *
 * @since 0.1
 */
public interface Subject {

    /** The option naming a process. */
    String PID = "pid";
    /** The option naming a virtual address. */
    String ADDRESS = "address";

    /** @return what the subject is, for people ("notepad.exe (pid 1234)") */
    String label();

    /** @return the case the subject belongs to, or null when it is of none */
    Cases.OpenCase openCase();

    /** @return option values by option name, as they are typed on the command line */
    Map<String, String> optionValues();

    /** @return an option's value parsed as a number (decimal, or hexadecimal after 0x), if the subject has it */
    default Optional<Long> number(String option) {
        String v = optionValues().get(option);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
