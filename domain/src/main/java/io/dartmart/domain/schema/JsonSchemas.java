package io.dartmart.domain.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ApplyDefaultsStrategy;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.SpecVersionDetector;
import com.networknt.schema.ValidationMessage;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.resource.AllowSchemaLoader;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.regex.UserRegex;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiles, checks and applies JSON Schemas with networknt. Schemas are compiled once and cached by their text;
 * errors name the JSON pointer and the rule, e.g. {@code /args/bucket: required property missing}.
 */
public final class JsonSchemas {
    /** The keyword that marks a property whose value dart encrypts at rest and never returns. */
    public static final String SECRET_KEYWORD = "x-dart-secret";
    private static final int CACHE_LIMIT = 2_000;

    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder()
            .pathType(PathType.JSON_POINTER)
            .applyDefaultsStrategy(new ApplyDefaultsStrategy(true, false, false))
            // schemas come from clients: their patterns (pattern, patternProperties, format regex) run in linear time
            .regularExpressionFactory(JsonSchemas::regex)
            .build();
    private static final Map<SpecVersion.VersionFlag, JsonSchemaFactory> FACTORIES = new ConcurrentHashMap<>();
    private static final Map<String, JsonSchema> CACHE = new ConcurrentHashMap<>();

    private JsonSchemas() {
    }

    /**
     * Checks a user-supplied schema against the meta-schema of its dialect ({@code $schema}, draft-07 when absent)
     * and that it compiles; {@code where} is the JSON pointer of the schema in the request.
     */
    public static void checkSchema(JsonNode schema, String where) {
        if (!schema.isObject()) {
            throw new InvalidInputException(where + ": a JSON Schema must be an object");
        }
        SpecVersion.VersionFlag version = version(schema, where);
        JsonSchema meta = factory(version).getSchema(SchemaLocation.of(version.getId()), CONFIG);
        raise(meta.validate(schema), where);
        compile(schema, where);
    }

    /**
     * Applies the schema's defaults to {@code instance} in place, then validates it. Properties the client sent as
     * null keep their null, except scalar-valued ones with a default, which take the default.
     */
    public static void applyDefaultsAndValidate(JsonNode schema, ObjectNode instance, String where) {
        dropNullScalarsWithDefaults(schema, instance);
        JsonSchema compiled = compile(schema, where);
        raise(compiled.walk(instance, true).getValidationMessages(), where);
    }

    private static void dropNullScalarsWithDefaults(JsonNode schema, ObjectNode instance) {
        JsonNode properties = schema.path("properties");
        properties.fields().forEachRemaining(e -> {
            JsonNode def = e.getValue().get("default");
            JsonNode value = instance.get(e.getKey());
            if (def != null && def.isValueNode() && value != null && value.isNull()) {
                instance.remove(e.getKey());
            } else if (value instanceof ObjectNode nested) {
                dropNullScalarsWithDefaults(e.getValue(), nested);
            }
        });
    }

    private static JsonSchema compile(JsonNode schema, String where) {
        String key = Json.write(schema);
        JsonSchema cached = CACHE.get(key);
        if (cached != null) {
            return cached;
        }
        try {
            JsonSchema compiled = factory(version(schema, where)).getSchema(schema, CONFIG);
            compiled.initializeValidators();
            if (CACHE.size() > CACHE_LIMIT) {
                CACHE.clear();
            }
            CACHE.put(key, compiled);
            return compiled;
        } catch (JsonSchemaException | IllegalArgumentException e) {
            throw new InvalidInputException(where + ": the JSON Schema does not compile: " + e.getMessage());
        }
    }

    private static RegularExpression regex(String regex) {
        com.google.re2j.Pattern compiled = UserRegex.parse(regex);
        return value -> compiled.matcher(value).find();
    }

    private static SpecVersion.VersionFlag version(JsonNode schema, String where) {
        JsonNode declared = schema.get("$schema");
        if (declared == null) {
            return SpecVersion.VersionFlag.V7;
        }
        return SpecVersionDetector.detectOptionalVersion(schema, false).orElseThrow(() -> new InvalidInputException(
                where + "/$schema: unsupported dialect " + declared + "; use draft-04, -06, -07, 2019-09 or 2020-12"));
    }

    private static JsonSchemaFactory factory(SpecVersion.VersionFlag version) {
        return FACTORIES.computeIfAbsent(version, v -> {
            JsonSchemaFactory base = JsonSchemaFactory.getInstance(v);
            JsonMetaSchema standard = base.getMetaSchema(v.getId(), CONFIG);
            JsonMetaSchema withDart = JsonMetaSchema.builder(standard)
                    .keyword(new NonValidationKeyword(SECRET_KEYWORD))
                    .build();
            // schemas come from clients: never let one make the server fetch a URL ($ref or $schema); the
            // meta-schemas networknt bundles are mapped to the classpath and stay reachable
            return JsonSchemaFactory.builder(base).metaSchema(withDart)
                    .schemaLoaders(loaders -> loaders.add(new AllowSchemaLoader(
                            iri -> iri.toString().startsWith("classpath:"))))
                    .build();
        });
    }

    private static void raise(Collection<ValidationMessage> messages, String where) {
        if (messages.isEmpty()) {
            return;
        }
        List<String> lines = new ArrayList<>();
        messages.stream().sorted(Comparator.comparing(m -> String.valueOf(m.getInstanceLocation())))
                .forEach(m -> lines.add(describe(m, where)));
        throw new InvalidInputException(String.join("; ", lines));
    }

    private static String describe(ValidationMessage m, String where) {
        String location = m.getInstanceLocation() == null ? "" : m.getInstanceLocation().toString();
        if ("required".equals(m.getType()) && m.getProperty() != null) {
            return where + location + "/" + m.getProperty() + ": required property missing";
        }
        String text = m.getMessage();
        int colon = text.indexOf(": ");
        String rule = colon >= 0 ? text.substring(colon + 2) : text;
        return where + location + ": " + rule;
    }
}
