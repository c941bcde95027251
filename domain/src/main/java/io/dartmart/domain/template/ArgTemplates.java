package io.dartmart.domain.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.Extension;
import io.pebbletemplates.pebble.extension.ExtensionCustomizer;
import io.pebbletemplates.pebble.extension.Filter;
import io.pebbletemplates.pebble.extension.Function;
import io.pebbletemplates.pebble.loader.StringLoader;
import io.pebbletemplates.pebble.operator.BinaryOperator;
import io.pebbletemplates.pebble.template.PebbleTemplate;
import io.pebbletemplates.pebble.tokenParser.TokenParser;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one place step args are rendered, when a run is created. Any string arg holding {@code {{ }}}, {@code {% %}} or
 * {@code {# #}} is a Pebble template over {@link RunVariables}; other strings, and the original's {@code {YEAR}}..
 * {@code {SECOND}} tokens that engines fill when they run, are left as they are.
 *
 * <p>User text must never run as code nor cost unbounded CPU, so the engine is cut down to expressions: no Java method
 * or field is reachable (the variables are strings, maps and lists, and every method access is refused), there are
 * no loops, assignments, macros, includes or ranges (the only tags are {@code if} and {@code verbatim}), only filters whose output is at
 * most linear in their input are offered, a template is at most {@link #MAX_TEMPLATE_CHARS} characters and renders
 * at most {@link #MAX_OUTPUT_CHARS}. Autoescaping is off (args are not HTML), and an unknown variable is an error.
 */
public final class ArgTemplates {
    public static final int MAX_TEMPLATE_CHARS = 32_000;
    public static final int MAX_OUTPUT_CHARS = 256_000;

    private static final Set<String> TAGS = Set.of("if", "verbatim");
    private static final Set<String> FILTERS = Set.of("abbreviate", "abs", "capitalize", "default", "first", "last",
            "length", "lower", "slice", "title", "trim", "upper", "date_add", "date_format");
    private static final Set<String> FUNCTIONS = Set.of("min", "max");
    private static final Set<String> REFUSED_OPERATORS = Set.of("..");
    /** Pebble's own variable for its evaluation context: a Java object, so not offered. */
    private static final Pattern CONTEXT_VARIABLE = Pattern.compile("(?<![A-Za-z0-9_])_context(?![A-Za-z0-9_])");

    private static final PebbleEngine ENGINE = new PebbleEngine.Builder()
            .loader(new StringLoader())
            .autoEscaping(false)
            .strictVariables(true)
            .newLineTrimming(false)
            .cacheActive(false)
            .methodAccessValidator((object, method) -> false)
            .maxRenderedSize(MAX_OUTPUT_CHARS)
            .extension(new DateFilters())
            .registerExtensionCustomizer(Restricted::new)
            .build();

    private ArgTemplates() {
    }

    /** A template that did not render: where it sits in the args, its text (abbreviated) and why. */
    public static final class TemplateFailure extends RuntimeException {
        private final String pointer;
        private final String detail;

        TemplateFailure(String pointer, String template, String reason) {
            super("arg " + pointer + ": template '" + DateFilters.abbreviate(template) + "' did not render: " + reason);
            this.pointer = pointer;
            this.detail = "template '" + DateFilters.abbreviate(template) + "' is not valid: " + reason;
        }

        /** The JSON pointer of the template within the args. */
        public String pointer() {
            return pointer;
        }

        /** The template and what is wrong with it, for a 400 that names the pointer itself. */
        public String detail() {
            return detail;
        }
    }

    /** Whether {@code text} is a template rather than plain text. */
    public static boolean isTemplate(String text) {
        return text.contains("{{") || text.contains("{%") || text.contains("{#");
    }

    /** A copy of {@code args} with every template rendered; throws {@link TemplateFailure} on the first that fails. */
    public static JsonNode render(JsonNode args, RunVariables variables) {
        Map<String, Object> vars = variables.asMap();
        return args == null ? null : eachTemplate(args, "", (template, pointer) -> renderOne(template, pointer, vars));
    }

    /**
     * Checks what can be checked before a run: each template's length and syntax (variables are known only when a
     * run is created); throws {@link TemplateFailure} on the first that fails.
     */
    public static void checkSyntax(JsonNode args) {
        if (args != null) {
            eachTemplate(args, "", (template, pointer) -> {
                compile(template, pointer);
                return template;
            });
        }
    }

    private static JsonNode eachTemplate(JsonNode node, String pointer,
                                         BiFunction<String, String, String> apply) {
        if (node.isTextual()) {
            return isTemplate(node.asText()) ? TextNode.valueOf(apply.apply(node.asText(), pointer)) : node;
        }
        if (node.isObject()) {
            ObjectNode out = ((ObjectNode) node).objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var field = it.next();
                out.set(field.getKey(), eachTemplate(field.getValue(), pointer + "/" + escape(field.getKey()), apply));
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = ((ArrayNode) node).arrayNode();
            for (int i = 0; i < node.size(); i++) {
                out.add(eachTemplate(node.get(i), pointer + "/" + i, apply));
            }
            return out;
        }
        return node;
    }

    private static String renderOne(String template, String pointer, Map<String, Object> vars) {
        StringWriter out = new StringWriter();
        try {
            compile(template, pointer).evaluate(out, vars);
        } catch (PebbleException e) {
            throw failure(template, pointer, e);
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory failed", e);
        }
        return out.toString();
    }

    private static PebbleTemplate compile(String template, String pointer) {
        if (template.length() > MAX_TEMPLATE_CHARS) {
            throw new TemplateFailure(pointer, template, "a template may have at most " + MAX_TEMPLATE_CHARS
                    + " characters");
        }
        if (CONTEXT_VARIABLE.matcher(template).find()) {
            throw new TemplateFailure(pointer, template, "_context is not a variable templates may use");
        }
        try {
            return ENGINE.getTemplate(template);
        } catch (PebbleException e) {
            throw failure(template, pointer, e);
        } catch (StackOverflowError e) {
            throw new TemplateFailure(pointer, template, "it is nested too deeply");
        }
    }

    private static TemplateFailure failure(String template, String pointer, PebbleException e) {
        return new TemplateFailure(pointer, template, e.getPebbleMessage() == null ? String.valueOf(e.getMessage())
                : e.getPebbleMessage() + (e.getLineNumber() == null ? "" : " (line " + e.getLineNumber() + ")"));
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }

    /** Keeps, of each extension, only what is listed above. */
    private static final class Restricted extends ExtensionCustomizer {
        Restricted(Extension delegate) {
            super(delegate);
        }

        @Override
        public Map<String, Filter> getFilters() {
            return only(super.getFilters(), FILTERS);
        }

        @Override
        public Map<String, Function> getFunctions() {
            return only(super.getFunctions(), FUNCTIONS);
        }

        @Override
        public List<TokenParser> getTokenParsers() {
            List<TokenParser> all = super.getTokenParsers();
            return all == null ? null : all.stream().filter(p -> TAGS.contains(p.getTag())).toList();
        }

        @Override
        public List<BinaryOperator> getBinaryOperators() {
            List<BinaryOperator> all = super.getBinaryOperators();
            return all == null ? null : all.stream().filter(o -> !REFUSED_OPERATORS.contains(o.getSymbol())).toList();
        }

        private static <T> Map<String, T> only(Map<String, T> all, Set<String> allowed) {
            return all == null ? null : all.entrySet().stream().filter(e -> allowed.contains(e.getKey()))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        }
    }
}
