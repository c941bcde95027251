package io.dartmart.domain.model;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every kind of document dart stores. Each is a table of {@code id, version_id, created, updated, data} whose
 * lookup columns are generated from {@code data} by the migration, so they can never drift from the document.
 */
public enum EntityType {
    ENGINE("engine", List.of("name")),
    DATASTORE("datastore", List.of("name", "state", "engine_name", "workflow_datastore_id")),
    ACTION("action", List.of("name", "state", "engine_name", "datastore_id", "workflow_id", "workflow_instance_id",
            "action_type_name")),
    WORKFLOW("workflow", List.of("name", "state", "datastore_id", "engine_name")),
    WORKFLOW_INSTANCE("workflow_instance", List.of("state", "workflow_id", "datastore_id")),
    DATASET("dataset", List.of("name")),
    SUBSCRIPTION("subscription", List.of("name", "state", "dataset_id")),
    SUBSCRIPTION_ELEMENT("subscription_element", List.of("state", "subscription_id", "s3_path", "action_id",
            "batch_id")),
    TRIGGER("trigger", List.of("name", "state", "trigger_type_name")),
    EVENT("event", List.of("name", "state")),
    SUBGRAPH_DEFINITION("subgraph_definition", List.of("name", "engine_name")),
    API_KEY("api_key", List.of("key", "user_id", "role"));

    private final String wireName;
    private final List<String> generatedColumns;

    EntityType(String wireName, List<String> generatedColumns) {
        this.wireName = wireName;
        this.generatedColumns = generatedColumns;
    }

    /** The name on the wire, in routes and in {@code entity_type} of the graph; also the table name. */
    public String wireName() {
        return wireName;
    }

    public String table() {
        return wireName;
    }

    /**
     * Top-level {@code data} fields that the table also holds as a generated text column with an index; the filter
     * compiler uses the column for them so the index applies.
     */
    public List<String> generatedColumns() {
        return generatedColumns;
    }

    private static final Map<String, EntityType> BY_WIRE_NAME = Map.copyOf(
            Arrays.stream(values()).collect(java.util.stream.Collectors.toMap(EntityType::wireName, t -> t)));

    public static Optional<EntityType> fromWireName(String name) {
        return Optional.ofNullable(BY_WIRE_NAME.get(name));
    }
}
