package org.vestige.layer.aff4.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.eclipse.rdf4j.common.net.ParsedIRI;
import org.eclipse.rdf4j.model.IRI;
import org.eclipse.rdf4j.model.Resource;
import org.eclipse.rdf4j.model.Literal;
import org.eclipse.rdf4j.model.Statement;
import org.eclipse.rdf4j.model.Value;
import org.eclipse.rdf4j.model.impl.SimpleValueFactory;
import org.eclipse.rdf4j.rio.RDFHandlerException;
import org.eclipse.rdf4j.rio.RDFParseException;
import org.eclipse.rdf4j.rio.helpers.AbstractRDFHandler;
import org.eclipse.rdf4j.rio.helpers.BasicParserSettings;
import org.eclipse.rdf4j.rio.turtle.TurtleParser;

/**
 * The RDF statements of one or more {@code information.turtle} files, indexed by subject and predicate. Parsed with
 * RDF4J's Turtle parser (prefixes, {@code @base} and relative IRIs resolved against the volume URN, typed literals).
 * Instances are filled once and then only read, from any thread.
 */
public final class Aff4Graph {

    /** One object of a statement: an IRI, a blank node or a literal with its datatype IRI. */
    public record Term(String value, Kind kind, String datatype) {

        public enum Kind {
            IRI, BLANK, LITERAL
        }

        public boolean isIri() {
            return kind == Kind.IRI;
        }

        /** @return the literal as a number, or empty when it is not a decimal integer */
        public Optional<Long> asLong() {
            try {
                return Optional.of(Long.parseLong(value.trim()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        /** @return the datatype's local name (e.g. {@code SHA1} for {@code aff4:SHA1}), or empty */
        public String datatypeName() {
            if (datatype == null) {
                return "";
            }
            int i = Math.max(datatype.lastIndexOf('#'), datatype.lastIndexOf('/'));
            return datatype.substring(i + 1);
        }
    }

    private final Map<String, Map<String, List<Term>>> bySubject = new LinkedHashMap<>();

    /**
     * The most statements Turtle text of {@code length} bytes can state: each takes at least one byte of its own
     * (a collection element such as {@code 1 } is two bytes for two statements), plus a margin for the text's
     * first statement.
     */
    static long statementLimit(long length) {
        return 2 * length + 16;
    }

    /**
     * Parses Turtle text and adds its statements.
     *
     * @param baseIri IRI that relative IRIs resolve against (the volume URN); {@code @base} in the text wins
     * @throws IOException with the line and column of the first syntax error, or when the parser produces more
     *                     statements than the text can hold (RDF4J's parser loops at the end of some unterminated
     *                     collections)
     */
    public void addTurtle(byte[] turtle, String baseIri) throws IOException {
        TurtleParser parser = new RelativeIriTurtleParser();
        parser.getParserConfig().set(BasicParserSettings.VERIFY_DATATYPE_VALUES, false);
        parser.getParserConfig().set(BasicParserSettings.FAIL_ON_UNKNOWN_DATATYPES, false);
        long limit = statementLimit(turtle.length);
        parser.setRDFHandler(new AbstractRDFHandler() {
            private long statements;

            @Override
            public void handleStatement(Statement st) {
                if (++statements > limit) {
                    throw new RDFHandlerException("information.turtle yields more than " + limit
                            + " statements from " + turtle.length + " bytes: the parser is not advancing"
                            + " (an unterminated collection?)");
                }
                add(st.getSubject().stringValue(), st.getPredicate().stringValue(), term(st.getObject()));
            }
        });
        try {
            parser.parse(new ByteArrayInputStream(turtle), baseIri);
        } catch (RDFHandlerException e) {
            throw new IOException(e.getMessage(), e);
        } catch (RDFParseException e) {
            String where = e.getLineNumber() < 0 ? "at its end"
                    : "at line " + e.getLineNumber() + (e.getColumnNumber() < 0 ? "" : ", column " + e.getColumnNumber());
            throw new IOException("information.turtle is not valid Turtle " + where + ": " + e.getMessage(), e);
        }
    }

    /**
     * RDF4J takes any IRI reference containing a colon for an absolute IRI, but {@code </C:/pagefile.sys>} is a
     * path relative to the base (WinPmem names file streams after their path); such references are resolved
     * against the base here.
     */
    private static final class RelativeIriTurtleParser extends TurtleParser {
        private static final java.util.regex.Pattern SCHEME = java.util.regex.Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:");
        private ParsedIRI base;

        @Override
        protected void setBaseURI(String uriSpec) {
            super.setBaseURI(uriSpec);
            base = ParsedIRI.create(uriSpec);
        }

        @Override
        protected void setBaseURI(ParsedIRI baseURI) {
            super.setBaseURI(baseURI);
            base = baseURI;
        }

        @Override
        protected void reportStatement(Resource subject, IRI predicate, Value object)
                throws RDFParseException, RDFHandlerException {
            super.reportStatement((Resource) absolute(subject), (IRI) absolute(predicate), absolute(object));
        }

        /** An IRI left without a scheme (the parser took it for absolute because it holds a colon) is resolved. */
        private Value absolute(Value v) {
            if (v instanceof IRI iri && base != null && !SCHEME.matcher(iri.stringValue()).find()) {
                try {
                    return SimpleValueFactory.getInstance().createIRI(base.resolve(iri.stringValue()));
                } catch (IllegalArgumentException e) {
                    return v;
                }
            }
            return v;
        }
    }

    private static Term term(Value v) {
        if (v instanceof IRI iri) {
            return new Term(iri.stringValue(), Term.Kind.IRI, null);
        }
        if (v instanceof Literal lit) {
            return new Term(lit.getLabel(), Term.Kind.LITERAL, lit.getDatatype() == null ? null : lit.getDatatype().stringValue());
        }
        return new Term(v.stringValue(), Term.Kind.BLANK, null);
    }

    /** Adds one statement (the writer and the tests build graphs this way too). */
    public void add(String subject, String predicate, Term object) {
        List<Term> list = bySubject.computeIfAbsent(subject, s -> new LinkedHashMap<>())
                .computeIfAbsent(predicate, p -> new ArrayList<>());
        if (!list.contains(object)) {
            list.add(object);
        }
    }

    /** Adds every statement of {@code other} (the metadata of several volumes of a set are merged). */
    public void addAll(Aff4Graph other) {
        other.bySubject.forEach((s, props) -> props.forEach((p, terms) -> terms.forEach(t -> add(s, p, t))));
    }

    public Set<String> subjects() {
        return Collections.unmodifiableSet(bySubject.keySet());
    }

    /** @return all predicates and objects of {@code subject} in file order */
    public Map<String, List<Term>> properties(String subject) {
        return Collections.unmodifiableMap(bySubject.getOrDefault(subject, Map.of()));
    }

    public List<Term> objects(String subject, String predicate) {
        return Collections.unmodifiableList(bySubject.getOrDefault(subject, Map.of()).getOrDefault(predicate, List.of()));
    }

    /** @return the objects of the first predicate in {@code predicates} that the subject has */
    public List<Term> objects(String subject, List<String> predicates) {
        for (String p : predicates) {
            List<Term> t = objects(subject, p);
            if (!t.isEmpty()) {
                return t;
            }
        }
        return List.of();
    }

    public Optional<Term> first(String subject, List<String> predicates) {
        List<Term> t = objects(subject, predicates);
        return t.isEmpty() ? Optional.empty() : Optional.of(t.get(0));
    }

    public Optional<Long> firstLong(String subject, List<String> predicates) {
        for (Term t : objects(subject, predicates)) {
            Optional<Long> v = t.asLong();
            if (v.isPresent()) {
                return v;
            }
        }
        return Optional.empty();
    }

    public Set<String> types(String subject) {
        Set<String> out = new LinkedHashSet<>();
        for (Term t : objects(subject, Aff4Lexicon.RDF_TYPE)) {
            out.add(t.value());
        }
        return out;
    }

    public boolean hasAnyType(String subject, List<String> types) {
        Set<String> t = types(subject);
        for (String type : types) {
            if (t.contains(type)) {
                return true;
            }
        }
        return false;
    }

    /** @return subjects with any of the types, in file order */
    public List<String> subjectsOfType(List<String> types) {
        List<String> out = new ArrayList<>();
        for (String s : bySubject.keySet()) {
            if (hasAnyType(s, types)) {
                out.add(s);
            }
        }
        return out;
    }

    /** @return subjects having {@code predicate} with the IRI object {@code object} */
    public List<String> subjectsWith(String predicate, String object) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, List<Term>>> e : bySubject.entrySet()) {
            for (Term t : e.getValue().getOrDefault(predicate, List.of())) {
                if (t.value().equals(object)) {
                    out.add(e.getKey());
                    break;
                }
            }
        }
        return out;
    }
}
