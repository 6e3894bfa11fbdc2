package org.vestige.fuzz;

import java.io.IOException;

import org.vestige.layer.aff4.internal.Aff4Graph;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the AFF4 metadata reader: {@code information.turtle} parsed into an {@link Aff4Graph} and then
 * queried the way the resolver does. A syntax error is an {@link IOException}; nothing else may be thrown.
 */
class TurtleFuzzTest {

    private static final String VOLUME = "aff4://fuzz-volume";

    @FuzzTest(maxDuration = "2m")
    void parse(byte[] data) {
        Aff4Graph graph = new Aff4Graph();
        try {
            graph.addTurtle(data, VOLUME);
        } catch (IOException e) {
            return;
        }
        int n = 0;
        for (String subject : graph.subjects()) {
            if (n++ == Records.LIMIT) {
                break;
            }
            graph.types(subject);
            Records.touch(graph.properties(subject).values());
        }
    }
}
