package io.dartmart.domain.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.auth.Scope;
import io.dartmart.domain.error.NotFoundException;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.store.ListQuery;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The graph the UI draws around an entity: everything connected to it through the references entities make to
 * each other (a trigger to its workflows, a workflow to its datastore and steps, a subscription to its dataset...),
 * found breadth first and capped so a large installation still answers quickly.
 */
@Singleton
public class EntityGraph {
    public static final int MAX_NODES = 250;
    private static final int MAX_NEIGHBOURS = 100;
    /** A workflow's latest runs are drawn with it (and their actions with them), as the original's graph did. */
    private static final int RECENT_RUNS = 3;
    private static final Set<EntityType> SEARCHABLE = Set.of(EntityType.WORKFLOW, EntityType.DATASTORE,
            EntityType.DATASET, EntityType.TRIGGER, EntityType.SUBSCRIPTION, EntityType.EVENT, EntityType.ACTION);

    private final Db db;
    private final EntityStore store;

    public EntityGraph(Db db, EntityStore store) {
        this.db = db;
        this.store = store;
    }

    /*
     * Key and Edge write out equals and hashCode: a graph hashes them thousands of times, and the records' generated
     * methods (method handles) were seen taking most of the graph's CPU under load.
     */
    private record Key(EntityType type, String id) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && type == k.type && id.equals(k.id);
        }

        @Override
        public int hashCode() {
            return 31 * type.ordinal() + id.hashCode();
        }
    }

    private record Edge(Key source, Key destination) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Edge e && source.equals(e.source) && destination.equals(e.destination);
        }

        @Override
        public int hashCode() {
            return 31 * source.hashCode() + destination.hashCode();
        }
    }

    private record Visit(Entity entity, List<Edge> edges) {
    }

    /** What the graph shows of an entity. */
    private record Node(Key key, String name, String state, String subType) {
        static Node of(Entity e) {
            String field = subTypeField(e.type());
            return new Node(EntityGraph.key(e), e.text("name"), e.text("state"), field == null ? null : e.text(field));
        }
    }

    /**
     * An entity that references one of a level's entities, with what the graph shows of it, read without its
     * document until it joins the graph.
     */
    private record Referencing(Node node, Instant created, String engineName) {
        Key key() {
            return node.key();
        }
    }

    /**
     * Breadth first, one level at a time: the entities that reference a level's entities are read, for every kind
     * of reference, in one statement for the whole level, by id alone; the level is then walked in the order a
     * node-by-node search would take, so the cap on nodes cuts the same graph, and only the entities that join it
     * (found referencing, or named by the level's own documents) are read whole, in one more statement. A request
     * thus costs two statements per level however many nodes it draws, and reads no document it discards. A named
     * entity that turns out not to exist (its reference dangles) is dropped after the read, so near the cap it may
     * have taken the place of another. The level that fills the cap is the last one walked, so its entities are not
     * read again: what the graph shows of them came with their references (only one named by a document alone is
     * read, without its document). What {@code caller} may not read is left out.
     */
    public ObjectNode around(EntityType type, String id, Caller caller) {
        return db.readWithGenericPlans(c -> {
            Entity start = store.find(c, type, id).orElseThrow(() -> EntityStore.notFound(type, id));
            Scope.require(caller, start, false);
            Map<Key, Node> nodes = new LinkedHashMap<>();
            Set<Edge> edges = new LinkedHashSet<>();
            nodes.put(key(start), Node.of(start));
            List<Entity> level = List.of(start);
            while (!level.isEmpty() && nodes.size() < MAX_NODES) {
                Map<Reference, Map<String, List<Referencing>>> referencing = referencing(c, level,
                        Scope.dependsOnEngine(caller));
                Map<Key, Referencing> candidates = new HashMap<>();
                referencing.values().forEach(bySource -> bySource.values().forEach(
                        list -> list.forEach(r -> candidates.put(r.key(), r))));
                List<Visit> visits = new ArrayList<>();
                Set<Key> named = new LinkedHashSet<>();
                for (Entity e : level) {
                    List<Edge> out = edgesOf(e, referencing);
                    visits.add(new Visit(e, out));
                    for (Edge edge : out) {
                        for (Key k : List.of(edge.source(), edge.destination())) {
                            if (!nodes.containsKey(k) && !candidates.containsKey(k)) {
                                named.add(k);
                            }
                        }
                    }
                }
                List<Key> joined = new ArrayList<>();
                for (Visit visit : visits) {
                    if (nodes.size() >= MAX_NODES) {
                        break;
                    }
                    for (Edge edge : visit.edges()) {
                        edges.add(edge);
                        for (Key k : List.of(edge.source(), edge.destination())) {
                            if (!nodes.containsKey(k) && nodes.size() < MAX_NODES && readable(k, named,
                                    candidates, caller)) {
                                nodes.put(k, null);
                                joined.add(k);
                            }
                        }
                    }
                }
                if (nodes.size() >= MAX_NODES) {
                    Map<Key, Node> ofNamed = findNodes(c, joined.stream().filter(k -> !candidates.containsKey(k))
                            .toList());
                    // a named key not found (a dangling reference, or deleted since it was read) maps to null,
                    // which removes its placeholder
                    joined.forEach(k -> nodes.compute(k, (same, placeholder) -> candidates.containsKey(k)
                            ? candidates.get(k).node() : ofNamed.get(k)));
                    break;
                }
                Map<Key, Entity> read = findAll(c, joined);
                List<Entity> next = new ArrayList<>();
                for (Key k : joined) {
                    Entity e = read.get(k);
                    if (e == null) {
                        nodes.remove(k); // a dangling reference, or deleted since its reference was read
                    } else {
                        nodes.put(k, Node.of(e));
                        next.add(e);
                    }
                }
                level = next;
            }
            return render(nodes, edges, false);
        });
    }

    /**
     * Whether {@code caller} may read {@code k}, found referencing or named by a document. Documents name no
     * actions, the one type whose reading depends on its engine, so a named entity needs no engine name; were one
     * ever named, it would be left out for an engine key rather than shown to the wrong engine.
     */
    private static boolean readable(Key k, Set<Key> named, Map<Key, Referencing> candidates, Caller caller) {
        Referencing r = candidates.get(k);
        if (r != null) {
            return Scope.allows(caller, k.type(), k.id(), r.engineName(), false);
        }
        return named.contains(k) && Scope.allows(caller, k.type(), k.id(), null, false);
    }

    /** The entities of {@code keys} that exist, in one statement (none when {@code keys} is empty). */
    private static Map<Key, Entity> findAll(Connection c, List<Key> keys) throws SQLException {
        Map<Key, Entity> out = new HashMap<>();
        byId(c, keys, t -> "version_id, created, updated, data", rs -> {
            Entity e = EntityStore.read(EntityType.values()[rs.getInt("type")], rs);
            out.put(key(e), e);
        });
        return out;
    }

    /** What the graph shows of the entities of {@code keys} that exist, without their documents. */
    private static Map<Key, Node> findNodes(Connection c, List<Key> keys) throws SQLException {
        Map<Key, Node> out = new HashMap<>();
        byId(c, keys, EntityGraph::nodeColumns, rs -> {
            Key k = new Key(EntityType.values()[rs.getInt(1)], rs.getString(2));
            out.put(k, new Node(k, rs.getString(3), rs.getString(4), rs.getString(5)));
        });
        return out;
    }

    private interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    /**
     * One statement reading {@code columns} (by type) of the entities of {@code keys}, a UNION ALL branch per type,
     * each row tagged with its type's ordinal; none when {@code keys} is empty.
     */
    private static void byId(Connection c, List<Key> keys, Function<EntityType, String> columns, RowReader reader)
            throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        Map<EntityType, List<String>> byType = new EnumMap<>(EntityType.class);
        keys.forEach(k -> byType.computeIfAbsent(k.type(), t -> new ArrayList<>()).add(k.id()));
        List<EntityType> types = new ArrayList<>(byType.keySet());
        String sql = types.stream().map(t -> "SELECT " + t.ordinal() + " AS type, id, " + columns.apply(t) + " FROM "
                + t.table() + " WHERE id = ANY(?)").collect(Collectors.joining(" UNION ALL "));
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < types.size(); i++) {
                ps.setArray(i + 1, c.createArrayOf("text", byType.get(types.get(i)).toArray()));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    reader.read(rs);
                }
            }
        }
    }

    /**
     * The graph of entities not stored yet (a subgraph template): their references to one another and to the
     * entities they will hang from, which are not among {@code entities}.
     */
    public static ObjectNode drawUnsaved(List<Entity> entities) {
        Map<Key, Node> nodes = new LinkedHashMap<>();
        Set<Edge> edges = new LinkedHashSet<>();
        for (Entity e : entities) {
            nodes.put(key(e), Node.of(e));
            edges.addAll(references(key(e), e.data()));
        }
        return render(nodes, edges, true);
    }

    private static ObjectNode render(Map<Key, Node> nodes, Set<Edge> edges, boolean keepOutsideEdges) {
        ObjectNode out = Json.object();
        ArrayNode nodeArray = out.putArray("nodes");
        nodes.values().forEach(node -> {
            ObjectNode n = nodeArray.addObject();
            n.put("entity_type", node.key().type().wireName());
            n.put("entity_id", node.key().id());
            n.put("name", displayName(node.key().type(), node.key().id(), node.name()));
            n.put("state", node.state());
            n.put("sub_type", node.subType());
        });
        ArrayNode edgeArray = out.putArray("edges");
        edges.stream().filter(ed -> keepOutsideEdges
                        || nodes.containsKey(ed.source()) && nodes.containsKey(ed.destination()))
                .forEach(ed -> {
                    ObjectNode n = edgeArray.addObject();
                    n.put("source_type", ed.source().type().wireName());
                    n.put("source_id", ed.source().id());
                    n.put("destination_type", ed.destination().type().wireName());
                    n.put("destination_id", ed.destination().id());
                });
        return out;
    }

    private static String displayName(EntityType type, String id, String name) {
        return name != null ? name : type.wireName() + " " + id;
    }

    /** The select list of what the graph shows of an entity of {@code type}: name, state, sub-type. */
    private static String nodeColumns(EntityType type) {
        String subType = subTypeField(type);
        return "data ->> 'name' AS name, data ->> 'state' AS state, "
                + (subType == null ? "NULL::text" : "data ->> '" + subType + "'") + " AS sub_type";
    }

    /** The field of a document the graph shows as its node's sub-type, or null for a type without one. */
    private static String subTypeField(EntityType type) {
        return switch (type) {
            case TRIGGER -> "trigger_type_name";
            case ACTION -> "action_type_name";
            case DATASTORE -> "engine_name";
            default -> null;
        };
    }

    private static Key key(Entity e) {
        return new Key(e.type(), e.id());
    }

    /**
     * A way entities point at others: the entities of {@code type} whose {@code condition} holds for a source id
     * {@code s.id}, oldest first, at most {@link #MAX_NEIGHBOURS} per source (a workflow's runs: the latest
     * {@link #RECENT_RUNS}). Each condition is served by an index (V50, V51): a lookup column, or GIN containment in
     * the document for the ids a trigger or a step's args hold.
     */
    private enum Reference {
        DATASTORE_WORKFLOWS(EntityType.DATASTORE, EntityType.WORKFLOW, "datastore_id = s.id"),
        DATASTORE_OWN_ACTIONS(EntityType.DATASTORE, EntityType.ACTION, "datastore_id = s.id AND workflow_id IS NULL"),
        WORKFLOW_STEPS(EntityType.WORKFLOW, EntityType.ACTION, "workflow_id = s.id AND state = 'TEMPLATE'"),
        WORKFLOW_RECENT_RUNS(EntityType.WORKFLOW, EntityType.WORKFLOW_INSTANCE, "workflow_id = s.id",
                "created DESC, id DESC", RECENT_RUNS),
        WORKFLOW_TRIGGERS(EntityType.WORKFLOW, EntityType.TRIGGER,
                "data @> jsonb_build_object('workflow_ids', jsonb_build_array(s.id))"),
        WORKFLOW_COMPLETION_TRIGGERS(EntityType.WORKFLOW, EntityType.TRIGGER,
                "data @> jsonb_build_object('args', jsonb_build_object('completed_workflow_id', s.id))"),
        SUPER_TRIGGERS(EntityType.TRIGGER, EntityType.TRIGGER,
                "data @> jsonb_build_object('args', jsonb_build_object('completed_trigger_ids', jsonb_build_array(s.id)))"),
        DATASET_SUBSCRIPTIONS(EntityType.DATASET, EntityType.SUBSCRIPTION, "dataset_id = s.id"),
        DATASET_STEPS(EntityType.DATASET, EntityType.ACTION, "state IN ('TEMPLATE', 'HAS_NEVER_RUN')"
                + " AND data -> 'args' @> jsonb_build_object('dataset_id', s.id)"),
        SUBSCRIPTION_TRIGGERS(EntityType.SUBSCRIPTION, EntityType.TRIGGER,
                "data @> jsonb_build_object('args', jsonb_build_object('subscription_id', s.id))"),
        SUBSCRIPTION_STEPS(EntityType.SUBSCRIPTION, EntityType.ACTION, "state IN ('TEMPLATE', 'HAS_NEVER_RUN')"
                + " AND data -> 'args' @> jsonb_build_object('subscription_id', s.id)"),
        EVENT_TRIGGERS(EntityType.EVENT, EntityType.TRIGGER,
                "data @> jsonb_build_object('args', jsonb_build_object('event_id', s.id))"),
        INSTANCE_ACTIONS(EntityType.WORKFLOW_INSTANCE, EntityType.ACTION, "workflow_instance_id = s.id");

        final EntityType source;
        final EntityType type;
        final String condition;
        final String order;
        final int limit;

        Reference(EntityType source, EntityType type, String condition) {
            this(source, type, condition, "created, id", MAX_NEIGHBOURS);
        }

        Reference(EntityType source, EntityType type, String condition, String order, int limit) {
            this.source = source;
            this.type = type;
            this.condition = condition;
            this.order = order;
            this.limit = limit;
        }

        /** {@link #order} in Java: by created then id, ascending unless the order says DESC. */
        Comparator<Referencing> comparator() {
            Comparator<Referencing> ascending = Comparator.comparing(Referencing::created)
                    .thenComparing(r -> r.key().id());
            return order.contains("DESC") ? ascending.reversed() : ascending;
        }
    }

    /**
     * For each kind of reference to the level's entities, the referencing entities by source id, in the reference's
     * order. One statement for the whole level: each kind of reference is a branch of a UNION ALL, tagged with its
     * ordinal, so a level costs one round trip and one plan however many kinds its types have. Each row brings what
     * the graph shows of its entity (name, state, sub-type), so that the level that fills the cap needs no read of
     * its own; without {@code withEngine} (the caller's rights do not depend on it) the engine name is not read.
     */
    private static Map<Reference, Map<String, List<Referencing>>> referencing(
            Connection c, List<Entity> level, boolean withEngine) throws SQLException {
        Map<Reference, Map<String, List<Referencing>>> out = new EnumMap<>(Reference.class);
        List<Reference> asked = new ArrayList<>();
        List<List<String>> sources = new ArrayList<>();
        StringBuilder sql = new StringBuilder();
        for (Reference r : Reference.values()) {
            List<String> ids = level.stream().filter(e -> e.type() == r.source).map(Entity::id).toList();
            if (ids.isEmpty()) {
                continue;
            }
            sql.append(asked.isEmpty() ? "" : " UNION ALL ").append("SELECT ").append(r.ordinal())
                    .append(" AS reference, s.id AS source, t.*")
                    .append(" FROM unnest(?::text[]) AS s(id) CROSS JOIN LATERAL (SELECT id, created,")
                    .append(withEngine ? " data ->> 'engine_name'" : " NULL::text").append(" AS engine_name, ")
                    .append(nodeColumns(r.type)).append(" FROM ")
                    .append(r.type.table()).append(" WHERE ").append(r.condition)
                    .append(" ORDER BY ").append(r.order).append(" LIMIT ").append(r.limit).append(") t");
            asked.add(r);
            sources.add(ids);
        }
        if (asked.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < sources.size(); i++) {
                ps.setArray(i + 1, c.createArrayOf("text", sources.get(i).toArray()));
            }
            // columns by position, and the time as an OffsetDateTime, which the driver reads without a Calendar:
            // a wide level has hundreds of rows, and lookups by label and Calendars showed in its profile
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Reference r = Reference.values()[rs.getInt(1)];
                    out.computeIfAbsent(r, k -> new HashMap<>())
                            .computeIfAbsent(rs.getString(2), k -> new ArrayList<>())
                            .add(new Referencing(new Node(new Key(r.type, rs.getString(3)), rs.getString(6),
                                    rs.getString(7), rs.getString(8)), rs.getObject(4, OffsetDateTime.class)
                                    .toInstant(), rs.getString(5)));
                }
            }
        }
        // the branches' rows come in no promised order: each source's list is put back in its reference's
        out.forEach((r, bySource) -> bySource.values().forEach(list -> list.sort(r.comparator())));
        return out;
    }

    /** The references {@code e} holds, then those the entities found for the level make to it. */
    private static List<Edge> edgesOf(Entity e, Map<Reference, Map<String, List<Referencing>>> referencing) {
        Key self = key(e);
        List<Edge> out = references(self, e.data());
        Function<Reference, List<Referencing>> of = r -> referencing.getOrDefault(r, Map.of()).getOrDefault(e.id(), List.of());
        switch (e.type()) {
            case DATASTORE -> {
                from(self, of.apply(Reference.DATASTORE_WORKFLOWS), out);
                from(self, of.apply(Reference.DATASTORE_OWN_ACTIONS), out);
            }
            case WORKFLOW -> {
                from(self, of.apply(Reference.WORKFLOW_STEPS), out);
                from(self, of.apply(Reference.WORKFLOW_RECENT_RUNS), out);
                of.apply(Reference.WORKFLOW_TRIGGERS).forEach(t -> out.add(new Edge(t.key(), self)));
                from(self, of.apply(Reference.WORKFLOW_COMPLETION_TRIGGERS), out);
            }
            case TRIGGER -> from(self, of.apply(Reference.SUPER_TRIGGERS), out);
            case DATASET -> {
                from(self, of.apply(Reference.DATASET_SUBSCRIPTIONS), out);
                from(self, of.apply(Reference.DATASET_STEPS), out);
            }
            case SUBSCRIPTION -> {
                from(self, of.apply(Reference.SUBSCRIPTION_TRIGGERS), out);
                from(self, of.apply(Reference.SUBSCRIPTION_STEPS), out);
            }
            case EVENT -> from(self, of.apply(Reference.EVENT_TRIGGERS), out);
            case WORKFLOW_INSTANCE -> from(self, of.apply(Reference.INSTANCE_ACTIONS), out);
            default -> {
            }
        }
        return out;
    }

    /**
     * The edges an entity's own document makes: the references it holds to other entities (a workflow to its
     * datastore, a trigger to its workflows...). The graph around a stored entity adds the references others make
     * to it; a subgraph template is drawn from these alone.
     */
    static List<Edge> references(Key self, JsonNode data) {
        List<Edge> out = new ArrayList<>();
        JsonNode args = data.path("args");
        switch (self.type()) {
            case WORKFLOW -> ref(out, EntityType.DATASTORE, text(data, "datastore_id"), self);
            case TRIGGER -> {
                data.path("workflow_ids").forEach(w -> ref(out, self, EntityType.WORKFLOW, w.asText()));
                ref(out, EntityType.WORKFLOW, text(args, "completed_workflow_id"), self);
                ref(out, EntityType.SUBSCRIPTION, text(args, "subscription_id"), self);
                ref(out, EntityType.EVENT, text(args, "event_id"), self);
                args.path("completed_trigger_ids").forEach(t -> ref(out, EntityType.TRIGGER, t.asText(), self));
            }
            case ACTION -> {
                if (text(data, "workflow_id") != null) {
                    ref(out, EntityType.WORKFLOW, text(data, "workflow_id"), self);
                } else {
                    ref(out, EntityType.DATASTORE, text(data, "datastore_id"), self);
                }
                ref(out, EntityType.DATASET, text(args, "dataset_id"), self);
                ref(out, EntityType.SUBSCRIPTION, text(args, "subscription_id"), self);
            }
            case SUBSCRIPTION -> ref(out, EntityType.DATASET, text(data, "dataset_id"), self);
            case WORKFLOW_INSTANCE -> ref(out, EntityType.WORKFLOW, text(data, "workflow_id"), self);
            default -> {
            }
        }
        return out;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static void ref(List<Edge> out, EntityType sourceType, String sourceId, Key destination) {
        if (sourceId != null) {
            out.add(new Edge(new Key(sourceType, sourceId), destination));
        }
    }

    private static void ref(List<Edge> out, Key source, EntityType destinationType, String destinationId) {
        if (destinationId != null) {
            out.add(new Edge(source, new Key(destinationType, destinationId)));
        }
    }

    /** Edges from {@code self} to each of {@code entities}. */
    private static void from(Key self, List<Referencing> entities, List<Edge> out) {
        for (Referencing e : entities) {
            out.add(new Edge(self, e.key()));
        }
    }

    /** {@code [{entity_type, entity_id, name}]} of named entities whose name contains {@code search}. */
    public ArrayNode identifiers(String search, Caller caller) {
        return db.readWithCustomPlans(c -> {
            ArrayNode out = Json.array();
            List<Filter> filters = new ArrayList<>();
            if (search != null && !search.isBlank()) {
                filters.add(new Filter(List.of("name"), io.dartmart.domain.filter.Operator.CONTAINS_IGNORE_CASE, search));
            }
            for (EntityType type : EntityType.values()) {
                if (!SEARCHABLE.contains(type)) {
                    continue;
                }
                List<Filter> typed = new ArrayList<>(filters);
                if (type == EntityType.ACTION) {
                    typed.add(Filter.eq("state", "TEMPLATE"));
                }
                Scope.listFilter(caller, type).ifPresent(typed::add);
                for (Entity e : store.page(c, type, new ListQuery(typed, List.of(), 20, 0))) {
                    ObjectNode n = out.addObject();
                    n.put("entity_type", type.wireName());
                    n.put("entity_id", e.id());
                    n.put("name", displayName(type, e.id(), e.text("name")));
                }
            }
            return out;
        });
    }

    public static EntityType graphType(String name) {
        return EntityType.fromWireName(name)
                .filter(t -> t == EntityType.WORKFLOW_INSTANCE || SEARCHABLE.contains(t))
                .orElseThrow(() -> new NotFoundException("no graph for entity type '" + name + "'"));
    }
}
