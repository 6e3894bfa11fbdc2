package org.vestige.api.tests;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The top-level types a Java source file declares, with their modifiers and the Javadoc comment in
 * front of each. A small scanner rather than a parser: it skips comments, strings, text blocks and
 * character literals, follows brace and parenthesis depth, and reads declarations only at depth 0,
 * which is all an API check needs and is exact for code that compiles.
 */
final class TopLevelTypes {

    private static final Pattern SINCE = Pattern.compile("(?m)^[ \\t]*(?:/\\*\\*|\\*)?[ \\t]*@since[ \\t]+([^\\s*]+)");
    private static final List<String> TYPE_KEYWORDS = List.of("class", "interface", "enum", "record");

    /**
     * One declared type.
     *
     * @param name      its simple name
     * @param isPublic  declared {@code public}
     * @param javadoc   the Javadoc comment right before the declaration (annotations may sit between),
     *                  or null
     * @param line      the line of the declaring keyword
     */
    record Type(String name, boolean isPublic, String javadoc, int line) {

        /** @return the value of the Javadoc's {@code @since} tag */
        Optional<String> since() {
            if (javadoc == null) {
                return Optional.empty();
            }
            Matcher m = SINCE.matcher(javadoc);
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        }
    }

    private TopLevelTypes() {
    }

    static List<Type> of(String source) {
        List<Type> types = new ArrayList<>();
        List<String> words = new ArrayList<>();
        String javadoc = null;
        int braces = 0;
        int parens = 0;
        int line = 1;
        String pendingKeyword = null;
        int keywordLine = 0;
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (c == '\n') {
                line++;
                i++;
            } else if (source.startsWith("//", i)) {
                i = endOfLine(source, i);
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                String comment = source.substring(i, end);
                if (braces == 0 && comment.startsWith("/**") && !comment.equals("/**/")) {
                    javadoc = comment;
                }
                line += count(comment, '\n');
                i = end;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = source.indexOf("\"\"\"", i + 3);
                while (end > 0 && source.charAt(end - 1) == '\\') {
                    end = source.indexOf("\"\"\"", end + 1);
                }
                end = end < 0 ? n : end + 3;
                line += count(source.substring(i, end), '\n');
                i = end;
            } else if (c == '"' || c == '\'') {
                i = endOfQuoted(source, i, c);
            } else if (Character.isJavaIdentifierStart(c)) {
                int start = i;
                while (i < n && Character.isJavaIdentifierPart(source.charAt(i))) {
                    i++;
                }
                String word = source.substring(start, i);
                if (braces == 0 && parens == 0) {
                    boolean annotation = start > 0 && source.charAt(start - 1) == '@';
                    if (pendingKeyword != null) {
                        types.add(new Type(word, words.contains("public"), javadoc, keywordLine));
                        pendingKeyword = null;
                    } else if (word.equals("interface") || !annotation && TYPE_KEYWORDS.contains(word)) {
                        pendingKeyword = word;
                        keywordLine = line;
                    } else if (!annotation) {
                        words.add(word);
                    }
                }
            } else {
                switch (c) {
                    case '{' -> braces++;
                    case '}' -> {
                        braces--;
                        if (braces == 0) {
                            words.clear();
                            javadoc = null;
                        }
                    }
                    case '(' -> parens++;
                    case ')' -> parens--;
                    case ';' -> {
                        if (braces == 0) {
                            words.clear();
                            javadoc = null;
                        }
                    }
                    default -> {
                    }
                }
                i++;
            }
        }
        return types;
    }

    private static int endOfLine(String s, int i) {
        int end = s.indexOf('\n', i);
        return end < 0 ? s.length() : end;
    }

    private static int endOfQuoted(String s, int i, char quote) {
        int j = i + 1;
        while (j < s.length() && s.charAt(j) != quote && s.charAt(j) != '\n') {
            j += s.charAt(j) == '\\' ? 2 : 1;
        }
        return Math.min(s.length(), j + 1);
    }

    private static int count(String s, char c) {
        int k = 0;
        for (int i = 0; i < s.length(); i++) {
            k += s.charAt(i) == c ? 1 : 0;
        }
        return k;
    }
}
