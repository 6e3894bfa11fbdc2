package org.vestige.api.tests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.Test;

public class TopLevelTypesTest {

    @Test
    public void readsEachTopLevelTypeWithItsJavadocAndSince() {
        String source = """
                /* licence header */
                package org.example;

                import java.util.List;

                /**
                 * A thing.
                 *
                 * @since 0.3
                 */
                @Deprecated(since = "x", forRemoval = false)
                public final class Thing {
                    /** @since 9.9 */
                    public static class Nested {
                    }
                    public record Inner(int a) {
                    }
                }

                sealed interface Hidden permits Thing2 {
                }

                /** No tag here. */
                public non-sealed class Thing2 implements Hidden {
                    String s = "public class Fake {";
                    char c = '{';
                }
                """;
        List<TopLevelTypes.Type> types = TopLevelTypes.of(source);
        assertEquals(List.of("Thing", "Hidden", "Thing2"), types.stream().map(TopLevelTypes.Type::name).toList());
        assertEquals(Optional.of("0.3"), types.get(0).since());
        assertTrue(types.get(0).isPublic());
        assertEquals(12, types.get(0).line());
        assertFalse(types.get(1).isPublic());
        assertEquals(Optional.empty(), types.get(1).since());
        assertTrue(types.get(2).isPublic());
        assertEquals(Optional.empty(), types.get(2).since());
    }

    @Test
    public void aJavadocSeparatedFromTheTypeByAnImportDoesNotCount() {
        String source = """
                package org.example;
                /** @since 0.1 */
                import java.util.List;
                public interface Api {
                }
                """;
        TopLevelTypes.Type t = TopLevelTypes.of(source).get(0);
        assertEquals("Api", t.name());
        assertEquals(Optional.empty(), t.since());
    }

    @Test
    public void recordsEnumsAnnotationTypesAndTextBlocks() {
        String source = """
                package org.example;
                /** @since 0.1 */
                public record Point(long x, long y) {
                    static final String TEXT = \"""
                        public class NotAType { \\\"""
                        \""";
                }
                /**
                 * @since 0.2
                 */
                public enum Kind { A, B }
                /** @since 0.1 */
                public @interface Marker {
                    Class<?> value() default Object.class;
                }
                // public class Commented {}
                """;
        List<TopLevelTypes.Type> types = TopLevelTypes.of(source);
        assertEquals(List.of("Point", "Kind", "Marker"), types.stream().map(TopLevelTypes.Type::name).toList());
        assertEquals(List.of(Optional.of("0.1"), Optional.of("0.2"), Optional.of("0.1")), types.stream().map(
                TopLevelTypes.Type::since).toList());
    }
}
