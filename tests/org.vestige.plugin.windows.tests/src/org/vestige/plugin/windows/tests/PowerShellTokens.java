package org.vestige.plugin.windows.tests;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A tokenizer for the subset of PowerShell the acquisition kit's script is written in, following the
 * PowerShell language specification's lexical grammar (about_Parsing, about_Quoting_Rules, about_Comments):
 * line and block comments; single-quoted strings ({@code ''} escapes a quote); double-quoted strings with
 * backtick escapes, {@code $(...)} subexpressions and variable references (a {@code $name:} followed by no
 * name is the parse error PowerShell reports as "Variable reference is not valid"); single- and
 * double-quoted here-strings; variables; the brackets {@code ( ) { } [ ] @( @{} with their balance; and
 * statements, ended by a newline or {@code ;} outside brackets other than braces. What it cannot parse it
 * reports as an error with its line.
 */
final class PowerShellTokens {

    enum Kind {
        WORD, STRING, VARIABLE, OPEN, CLOSE, END
    }

    /** A token: its kind, its text as written and, for strings, its value. */
    record Token(Kind kind, String text, String value, int line) {
    }

    /** A statement: its tokens, without the END. */
    record Statement(List<Token> tokens) {

        String first() {
            return tokens.isEmpty() ? "" : tokens.get(0).text();
        }

        boolean has(String text) {
            return tokens.stream().anyMatch(t -> t.text().equals(text) || t.kind() == Kind.STRING && t.value()
                    .equals(text));
        }

        String text() {
            return String.join(" ", tokens.stream().map(Token::text).toList());
        }
    }

    final List<Token> tokens = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    private final String s;
    private int i;
    private int line = 1;
    private final Deque<Character> open = new ArrayDeque<>();

    PowerShellTokens(String script) {
        this.s = script;
        run();
    }

    private void run() {
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '\n') {
                end();
                line++;
                i++;
            } else if (c == ';') {
                end();
                i++;
            } else if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '`' && i + 1 < s.length() && s.charAt(i + 1) == '\n') {
                i += 2; // line continuation
                line++;
            } else if (s.startsWith("<#", i)) {
                int close = s.indexOf("#>", i + 2);
                if (close < 0) {
                    errors.add("line " + line + ": unterminated block comment");
                    return;
                }
                count(i, close + 2);
                i = close + 2;
            } else if (c == '#') {
                while (i < s.length() && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (s.startsWith("@'\n", i) || s.startsWith("@\"\n", i)) {
                hereString(s.charAt(i + 1));
            } else if (c == '\'') {
                singleQuoted();
            } else if (c == '"') {
                doubleQuoted();
            } else if (s.startsWith("@(", i) || s.startsWith("@{", i) || s.startsWith("$(", i)) {
                push(s.charAt(i + 1), s.substring(i, i + 2));
                i += 2;
            } else if (c == '(' || c == '{' || c == '[') {
                push(c, String.valueOf(c));
                i++;
            } else if (c == ')' || c == '}' || c == ']') {
                pop(c);
                i++;
            } else if (c == '$') {
                variable();
            } else {
                word();
            }
        }
        end();
        if (!open.isEmpty()) {
            errors.add("end of script: " + open.size() + " bracket(s) still open, innermost '" + open.peek() + "'");
        }
    }

    private void end() {
        if (!tokens.isEmpty() && tokens.get(tokens.size() - 1).kind() != Kind.END && (open.isEmpty() || open.peek()
                == '{')) {
            tokens.add(new Token(Kind.END, "", "", line));
        }
    }

    private void push(char bracket, String text) {
        open.push(bracket);
        tokens.add(new Token(Kind.OPEN, text, text, line));
    }

    private void pop(char c) {
        char expected = c == ')' ? '(' : c == '}' ? '{' : '[';
        if (open.isEmpty() || open.peek() != expected) {
            errors.add("line " + line + ": '" + c + "' closes " + (open.isEmpty() ? "nothing" : "'" + open.peek()
                    + "'"));
        } else {
            open.pop();
        }
        if (c == '}') {
            end();
        }
        tokens.add(new Token(Kind.CLOSE, String.valueOf(c), String.valueOf(c), line));
    }

    private void count(int from, int to) {
        for (int k = from; k < to; k++) {
            if (s.charAt(k) == '\n') {
                line++;
            }
        }
    }

    private void singleQuoted() {
        int start = i++;
        int startLine = line;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                errors.add("line " + startLine + ": unterminated single-quoted string");
                return;
            }
            char c = s.charAt(i++);
            if (c == '\'') {
                if (i < s.length() && s.charAt(i) == '\'') {
                    value.append('\'');
                    i++;
                    continue;
                }
                break;
            }
            if (c == '\n') {
                line++;
            }
            value.append(c);
        }
        tokens.add(new Token(Kind.STRING, s.substring(start, i), value.toString(), startLine));
    }

    private void doubleQuoted() {
        int start = i++;
        int startLine = line;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (i >= s.length()) {
                errors.add("line " + startLine + ": unterminated double-quoted string");
                return;
            }
            char c = s.charAt(i);
            if (c == '"') {
                i++;
                break;
            } else if (c == '`' && i + 1 < s.length()) {
                value.append(s.charAt(i + 1));
                i += 2;
            } else if (c == '$' && i + 1 < s.length() && s.charAt(i + 1) == '(') {
                int close = subexpression(i + 1);
                if (close < 0) {
                    errors.add("line " + startLine + ": unterminated $( ) in a string");
                    return;
                }
                value.append(s, i, close + 1);
                i = close + 1;
            } else if (c == '$') {
                int end = variableEnd(i);
                value.append(s, i, end);
                i = Math.max(end, i + 1);
            } else {
                if (c == '\n') {
                    line++;
                }
                value.append(c);
                i++;
            }
        }
        tokens.add(new Token(Kind.STRING, s.substring(start, i), value.toString(), startLine));
    }

    /** @return the index of the ')' closing the '(' at {@code at}, skipping nested strings, or -1 */
    private int subexpression(int at) {
        int depth = 0;
        for (int k = at; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c == '\'') {
                k = s.indexOf('\'', k + 1);
                if (k < 0) {
                    return -1;
                }
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return k;
            }
        }
        return -1;
    }

    private void hereString(char quote) {
        int startLine = line;
        String terminator = "\n" + quote + "@";
        int close = s.indexOf(terminator, i + 2);
        if (close < 0) {
            errors.add("line " + startLine + ": unterminated here-string");
            i = s.length();
            return;
        }
        String value = s.substring(i + 3, close);
        count(i, close + terminator.length());
        tokens.add(new Token(Kind.STRING, s.substring(i, close + terminator.length()), value, startLine));
        i = close + terminator.length();
    }

    private void variable() {
        int end = variableEnd(i);
        if (end <= i + 1) {
            errors.add("line " + line + ": '$' names no variable");
            i++;
            return;
        }
        while (end + 1 < s.length() && s.charAt(end) == '.' && nameChar(end + 1)) {
            end++; // member access: $p.Name, $_.ParentProcessId
            while (nameChar(end)) {
                end++;
            }
        }
        tokens.add(new Token(Kind.VARIABLE, s.substring(i, end), s.substring(i, end), line));
        i = end;
    }

    /** The end of the variable reference at {@code at} ('$'); a scope or drive prefix needs a name after it. */
    private int variableEnd(int at) {
        int k = at + 1;
        if (k < s.length() && s.charAt(k) == '{') {
            int close = s.indexOf('}', k);
            return close < 0 ? s.length() : close + 1;
        }
        if (k < s.length() && (s.charAt(k) == '_' && !nameChar(k + 1) || s.charAt(k) == '$' || s.charAt(k) == '?')) {
            return k + 1;
        }
        while (k < s.length() && nameChar(k)) {
            k++;
        }
        if (k < s.length() && s.charAt(k) == ':' && k > at + 1) {
            if (k + 1 < s.length() && nameChar(k + 1)) {
                k++;
                while (k < s.length() && nameChar(k)) {
                    k++;
                }
            } else if (k + 1 >= s.length() || s.charAt(k + 1) != ':') {
                errors.add("line " + line + ": variable reference '" + s.substring(at, k + 1)
                        + "' is not valid: ':' is not followed by a name (write ${" + s.substring(at + 1, k) + "})");
            }
        }
        return k;
    }

    private boolean nameChar(int k) {
        return k < s.length() && (Character.isLetterOrDigit(s.charAt(k)) || s.charAt(k) == '_');
    }

    private void word() {
        int start = i;
        while (i < s.length() && !Character.isWhitespace(s.charAt(i)) && "(){}[];'\"$#".indexOf(s.charAt(i)) < 0) {
            i++;
        }
        if (i == start) {
            i++;
        }
        tokens.add(new Token(Kind.WORD, s.substring(start, i), s.substring(start, i), line));
    }

    /**
     * @return the statements, split at END tokens; the statements of a block ({@code { }} outside parentheses)
     *         are their own, a script block inside parentheses stays part of its statement
     */
    List<Statement> statements() {
        List<Statement> out = new ArrayList<>();
        List<Token> current = new ArrayList<>();
        int parens = 0;
        for (Token t : tokens) {
            if (t.kind() == Kind.OPEN && !t.text().endsWith("{")) {
                parens++;
            } else if (t.kind() == Kind.CLOSE && !t.text().equals("}")) {
                parens--;
            }
            if (parens > 0 && t.kind() != Kind.END) {
                current.add(t);
            } else if (t.kind() == Kind.END || t.kind() == Kind.OPEN && t.text().equals("{")) {
                if (!current.isEmpty()) {
                    out.add(new Statement(List.copyOf(current)));
                }
                current = new ArrayList<>();
            } else if (!(t.kind() == Kind.CLOSE && t.text().equals("}"))) {
                current.add(t);
            }
        }
        if (!current.isEmpty()) {
            out.add(new Statement(List.copyOf(current)));
        }
        return out;
    }
}
