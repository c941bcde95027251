package io.dartmart.domain.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.error.ErrorPaths;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Envelopes;
import io.dartmart.domain.model.Ids;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.service.Entities;
import io.dartmart.domain.service.NestedEntities;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.store.ListQuery;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Subgraphs, as the original's graph tool had them: the templates engines offer ({@code GET /graph/sub_graph}),
 * handed out with fresh {@code UNSAVED-...} ids so that several copies can be edited at once; and the saving of
 * several new entities that refer to each other by those ids ({@code POST /graph/sub_graph}), in one transaction.
 */
@Singleton
public class SubGraphs {
    /** The id prefix of an entity not stored yet. */
    public static final String UNSAVED = "UNSAVED-";
    /** At most this many entities in one save: enough for any template, and a bound on the work of one request. */
    public static final int MAX_ENTITIES = 500;
    private static final int MAX_DEFINITIONS = 1000;
    /** The template lists of a subgraph definition, by the type of entity they hold. */
    private static final Map<String, EntityType> TEMPLATE_LISTS = orderedLists();
    private static final Set<EntityType> WITH_ENGINE = Set.of(EntityType.DATASTORE, EntityType.WORKFLOW,
            EntityType.ACTION);

    private final Db db;
    private final EntityStore store;
    private final Entities entities;
    private final NestedEntities nested;

    public SubGraphs(Db db, EntityStore store, Entities entities, NestedEntities nested) {
        this.db = db;
        this.store = store;
        this.entities = entities;
        this.nested = nested;
    }

    private static Map<String, EntityType> orderedLists() {
        Map<String, EntityType> m = new LinkedHashMap<>();
        m.put("datastores", EntityType.DATASTORE);
        m.put("datasets", EntityType.DATASET);
        m.put("events", EntityType.EVENT);
        m.put("subscriptions", EntityType.SUBSCRIPTION);
        m.put("workflows", EntityType.WORKFLOW);
        m.put("actions", EntityType.ACTION);
        m.put("triggers", EntityType.TRIGGER);
        return m;
    }

    /**
     * The templates for an entity of {@code relatedType} (those related to no type when null), by engine name: only
     * {@code engineName}'s, or, without it, those of the engine of {@code relatedId} (a datastore, workflow or
     * action). Of several definitions an engine gave the same name, the newest is offered.
     */
    public ObjectNode templates(String relatedType, String relatedId, String engineName) {
        return db.readWithCustomPlans(c -> {
            String engine = engineName;
            if ((engine == null || engine.isBlank()) && relatedId != null && !relatedId.isBlank()) {
                EntityType type = EntityType.fromWireName(relatedType == null ? "" : relatedType)
                        .filter(WITH_ENGINE::contains)
                        .orElseThrow(() -> new InvalidInputException("related_type: with related_id and without "
                                + "engine_name it must be datastore, workflow or action, found " + relatedType));
                engine = store.get(c, type, relatedId).text("engine_name");
            }
            List<Filter> filters = new ArrayList<>();
            if (engine != null && !engine.isBlank()) {
                filters.add(Filter.eq("engine_name", engine));
            }
            List<Entity> definitions = new ArrayList<>(store.list(c, EntityType.SUBGRAPH_DEFINITION,
                    new ListQuery(filters, List.of(), MAX_DEFINITIONS, 0)).items());
            definitions.sort(Comparator.comparing(Entity::created).reversed());
            Map<String, Map<String, ObjectNode>> byEngine = new TreeMap<>();
            for (Entity d : definitions) {
                if (Objects.equals(d.text("related_type"), blankToNull(relatedType))) {
                    byEngine.computeIfAbsent(String.valueOf(d.text("engine_name")), k -> new LinkedHashMap<>())
                            .putIfAbsent(d.text("name"), template(d.data()));
                }
            }
            ObjectNode out = Json.object();
            byEngine.forEach((name, templates) -> {
                ArrayNode list = out.putArray(name);
                templates.values().stream().sorted(Comparator.comparing(t -> t.path("name").asText()))
                        .forEach(list::add);
            });
            return out;
        });
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** One definition as the UI takes it: its entities with fresh ids, drawn, and by node id. */
    static ObjectNode template(ObjectNode definition) {
        List<Entity> unsaved = new ArrayList<>();
        Map<String, String> fresh = new HashMap<>();
        List<Map.Entry<EntityType, ObjectNode>> items = new ArrayList<>();
        TEMPLATE_LISTS.forEach((list, type) -> definition.path(list).forEach(item -> {
            if (item.isObject()) {
                items.add(Map.entry(type, (ObjectNode) item));
                String id = item.path("id").asText("");
                String prefix = id.startsWith("PARENT-") ? "PARENT-" : id.startsWith("CHILD-") ? "CHILD-" : UNSAVED;
                fresh.put(id, prefix + Ids.newId());
            }
        }));
        ObjectNode entityMap = Json.object();
        for (var item : items) {
            String id = fresh.get(item.getValue().path("id").asText(""));
            JsonNode dataNode = item.getValue().get("data");
            ObjectNode data = dataNode instanceof ObjectNode o ? o.deepCopy() : Json.object();
            replaceTexts(data, text -> fresh.getOrDefault(text, text));
            Entity e = new Entity(item.getKey(), id, 0, null, null, data);
            unsaved.add(e);
            ObjectNode envelope = entityMap.putObject(nodeId(item.getKey(), id));
            envelope.put("id", id);
            envelope.set("data", data);
        }
        ObjectNode out = Json.object();
        for (String field : List.of("name", "description", "related_type", "related_is_a", "icon", "md_icon")) {
            out.set(field, definition.path(field).isMissingNode() ? Json.MAPPER.nullNode() : definition.get(field));
        }
        out.set("graph", EntityGraph.drawUnsaved(unsaved));
        out.set("entity_map", entityMap);
        return out;
    }

    static String nodeId(EntityType type, String id) {
        return type.wireName() + "-" + id;
    }

    /** Replaces, in place, every text value of {@code node} (not field names) by {@code replace}'s answer. */
    private static void replaceTexts(JsonNode node, UnaryOperator<String> replace) {
        if (node instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                var field = it.next();
                if (field.getValue().isTextual()) {
                    field.setValue(TextNode.valueOf(replace.apply(field.getValue().asText())));
                } else {
                    replaceTexts(field.getValue(), replace);
                }
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                if (a.get(i).isTextual()) {
                    a.set(i, TextNode.valueOf(replace.apply(a.get(i).asText())));
                } else {
                    replaceTexts(a.get(i), replace);
                }
            }
        }
    }

    private static void eachText(JsonNode node, Consumer<String> visit) {
        if (node.isTextual()) {
            visit.accept(node.asText());
        } else {
            node.forEach(child -> eachText(child, visit));
        }
    }

    private record Unsaved(String nodeId, EntityType type, String placeholder, ObjectNode data) {
    }

    /**
     * Saves {@code {"unsaved_entities": {"<type>-UNSAVED-...": {"id", "data"}}, "related_entity_data":
     * {"<type>-PARENT-...": {"entity_id": "<stored id>", ...}}}} in one transaction: each entity is created through
     * the route its type has (a workflow on its datastore, an action on its workflow or datastore, a subscription on
     * its dataset), after the ones it refers to, with every {@code UNSAVED-}, {@code PARENT-} or {@code CHILD-} id
     * it holds replaced by the stored id. Answers the created entities by the node ids sent. Nothing is written
     * when any entity is refused.
     */
    public ObjectNode save(JsonNode body, Caller caller) {
        if (body == null || !body.isObject() || !body.path("unsaved_entities").isObject()
                || body.get("unsaved_entities").isEmpty()) {
            throw new InvalidInputException("/unsaved_entities: required, an object of at least one entity by node id "
                    + "such as {\"workflow-UNSAVED-1\": {\"id\": \"UNSAVED-1\", \"data\": {...}}}");
        }
        if (body.get("unsaved_entities").size() > MAX_ENTITIES) {
            throw new InvalidInputException("/unsaved_entities: at most " + MAX_ENTITIES + " entities in one save, found "
                    + body.get("unsaved_entities").size());
        }
        Map<String, Unsaved> byPlaceholder = new LinkedHashMap<>();
        for (var it = body.get("unsaved_entities").fields(); it.hasNext(); ) {
            var field = it.next();
            Unsaved u = unsaved(field.getKey(), field.getValue());
            if (byPlaceholder.put(u.placeholder(), u) != null) {
                throw new InvalidInputException("/unsaved_entities/" + field.getKey() + ": the id " + u.placeholder()
                        + " is used by another unsaved entity");
            }
        }
        Map<String, Related> related = related(body.get("related_entity_data"));
        List<Unsaved> order = creationOrder(byPlaceholder);
        return db.tx(c -> {
            Map<String, String> stored = new HashMap<>();
            for (var r : related.entrySet()) {
                stored.put(r.getKey(), existing(c, r.getValue()));
            }
            ObjectNode out = Json.object();
            Map<String, String> nodeOf = new HashMap<>();
            Set<String> adHocDatastores = new TreeSet<>();
            for (Unsaved u : order) {
                replaceTexts(u.data(), text -> stored.getOrDefault(text, text));
                Entity created = createOne(c, u, caller);
                stored.put(u.placeholder(), created.id());
                nodeOf.put(created.id(), u.nodeId());
                out.set(u.nodeId(), Envelopes.of(created));
                if (u.type() == EntityType.ACTION && created.text("workflow_id") == null) {
                    adHocDatastores.add(created.text("datastore_id"));
                }
            }
            for (Entity queued : nested.queueAdHoc(c, adHocDatastores)) {
                if (nodeOf.containsKey(queued.id())) {
                    out.set(nodeOf.get(queued.id()), Envelopes.of(queued));
                }
            }
            return out;
        });
    }

    private static Unsaved unsaved(String nodeId, JsonNode envelope) {
        String where = "/unsaved_entities/" + nodeId;
        int dash = nodeId.indexOf('-');
        EntityType type = dash < 0 ? null : EntityType.fromWireName(nodeId.substring(0, dash))
                .filter(TEMPLATE_LISTS::containsValue).orElse(null);
        String placeholder = dash < 0 ? "" : nodeId.substring(dash + 1);
        if (type == null || !placeholder.startsWith(UNSAVED)) {
            throw new InvalidInputException(where + ": a node id is <entity_type>-UNSAVED-<anything>, with an entity "
                    + "type among " + TEMPLATE_LISTS.values().stream().map(EntityType::wireName).toList());
        }
        ObjectNode data = Entities.dataOf(envelope, where);
        JsonNode id = envelope.get("id");
        if (id != null && !id.isNull() && !placeholder.equals(id.asText())) {
            throw new InvalidInputException(where + "/id: must be " + placeholder + " as in its node id, found " + id);
        }
        return new Unsaved(nodeId, type, placeholder, data);
    }

    private record Related(String where, EntityType type, String id) {
    }

    /** The stored entities the unsaved ones hang from, by the {@code PARENT-}/{@code CHILD-} id they use. */
    private static Map<String, Related> related(JsonNode relatedData) {
        Map<String, Related> out = new HashMap<>();
        if (relatedData == null || relatedData.isNull()) {
            return out;
        }
        if (!relatedData.isObject()) {
            throw new InvalidInputException("/related_entity_data: must be an object by node id");
        }
        for (var it = relatedData.fields(); it.hasNext(); ) {
            var field = it.next();
            String where = "/related_entity_data/" + field.getKey();
            int dash = field.getKey().indexOf('-');
            EntityType type = dash < 0 ? null : EntityType.fromWireName(field.getKey().substring(0, dash))
                    .filter(TEMPLATE_LISTS::containsValue).orElse(null);
            String ref = dash < 0 ? "" : field.getKey().substring(dash + 1);
            if (type == null || !(ref.startsWith("PARENT-") || ref.startsWith("CHILD-"))) {
                throw new InvalidInputException(where + ": a related node id is <entity_type>-PARENT-<anything> or "
                        + "<entity_type>-CHILD-<anything>");
            }
            String id = field.getValue().path("entity_id").asText("");
            if (id.isEmpty() || id.startsWith(UNSAVED)) {
                throw new InvalidInputException(where + "/entity_id: required, the id of a stored " + type.wireName());
            }
            out.put(ref, new Related(where, type, id));
        }
        return out;
    }

    private String existing(Connection c, Related r) throws SQLException {
        return store.find(c, r.type(), r.id()).map(Entity::id).orElseThrow(() -> new InvalidInputException(
                r.where() + "/entity_id: no " + r.type().wireName() + " '" + r.id() + "'"));
    }

    /**
     * Each entity after those it refers to: refusing a reference to an unsaved id that is not in the request, and
     * references that go round in a cycle (nothing in a cycle could be created first).
     */
    private static List<Unsaved> creationOrder(Map<String, Unsaved> byPlaceholder) {
        Map<String, Set<String>> needs = new LinkedHashMap<>();
        for (Unsaved u : byPlaceholder.values()) {
            Set<String> refs = new LinkedHashSet<>();
            eachText(u.data(), text -> {
                if (text.startsWith(UNSAVED) && !text.equals(u.placeholder())) {
                    if (!byPlaceholder.containsKey(text)) {
                        throw new InvalidInputException("/unsaved_entities/" + u.nodeId() + "/data: refers to " + text
                                + ", which is not among the unsaved entities");
                    }
                    refs.add(text);
                }
            });
            needs.put(u.placeholder(), refs);
        }
        List<Unsaved> order = new ArrayList<>();
        Set<String> placed = new LinkedHashSet<>();
        while (placed.size() < needs.size()) {
            int before = placed.size();
            for (var n : needs.entrySet()) {
                if (!placed.contains(n.getKey()) && placed.containsAll(n.getValue())) {
                    placed.add(n.getKey());
                    order.add(byPlaceholder.get(n.getKey()));
                }
            }
            if (placed.size() == before) {
                List<String> stuck = needs.keySet().stream().filter(p -> !placed.contains(p))
                        .map(p -> byPlaceholder.get(p).nodeId()).toList();
                throw new InvalidInputException("/unsaved_entities: these entities refer to each other in a cycle, so "
                        + "none can be created first: " + stuck);
            }
        }
        return order;
    }

    private Entity createOne(Connection c, Unsaved u, Caller caller) {
        return ErrorPaths.located("/unsaved_entities/" + u.nodeId(), c, conn -> {
            ObjectNode data = u.data();
            return switch (u.type()) {
                case WORKFLOW -> nested.workflowIn(conn, parent(conn, EntityType.DATASTORE, data, "datastore_id"),
                        data, caller);
                case SUBSCRIPTION -> nested.subscriptionIn(conn, parent(conn, EntityType.DATASET, data, "dataset_id"),
                        data, caller);
                case ACTION -> data.hasNonNull("workflow_id")
                        ? nested.stepIn(conn, parent(conn, EntityType.WORKFLOW, data, "workflow_id"), data, caller)
                        : nested.adHocActionIn(conn, parent(conn, EntityType.DATASTORE, data, "datastore_id"), data,
                        caller);
                default -> entities.createIn(conn, u.type(), data, caller);
            };
        });
    }

    private Entity parent(Connection c, EntityType type, ObjectNode data, String field) throws SQLException {
        String id = data.path(field).asText("");
        if (id.isEmpty()) {
            throw new InvalidInputException("/data/" + field + ": required, the id of a " + type.wireName()
                    + " (stored, or unsaved in this request)");
        }
        return store.find(c, type, id).orElseThrow(() -> new InvalidInputException(
                "/data/" + field + ": no " + type.wireName() + " '" + id + "'"));
    }
}
