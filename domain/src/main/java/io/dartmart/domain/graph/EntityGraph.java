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

    /** What the graph shows of an entity. */
    private record Node(Key key, String name, String state, String subType) {
        static Node of(Entity e) {
            String field = subTypeField(e.type());
            return new Node(EntityGraph.key(e), e.text("name"), e.text("state"), field == null ? null : e.text(field));
        }
    }

    /**
     * An entity read for a level, without its document: what the graph shows of it, what its reading by an engine
     * depends on, and the values of its {@link Pointer}s as read, taken apart only if the entity joins the graph and
     * its level is walked.
     */
    private record Found(Node node, Instant created, String engineName, String[] pointers) {
        Key key() {
            return node.key();
        }

        Walked walked() {
            List<Pointer> of = Pointer.of(key().type());
            List<List<String>> ids = new ArrayList<>(of.size());
            for (int i = 0; i < of.size(); i++) {
                ids.add(of.get(i).ids(pointers[i]));
            }
            return new Walked(key(), ids);
        }
    }

    /** An entity of the level being walked, with the ids each of its type's {@link Pointer}s holds, in their order. */
    private record Walked(Key key, List<List<String>> pointers) {
    }

    /** What one level's statement found: the entities referencing the level's, and all it found by key. */
    private record LevelRead(Map<Reference, Map<String, List<Found>>> referencing, Map<Key, Found> found) {
    }

    /**
     * Breadth first, one level at a time, one statement per level: it reads, for every kind of reference, the
     * entities that reference the level's entities, and by id those the level's documents point at; each row brings
     * what the graph shows of its entity and, as a few fields rather than its document, what it points at in turn.
     * The level is then walked in the order a node-by-node search takes, so the cap on nodes cuts the same graph;
     * the entities that join make the next level. A request thus costs one statement per level however many nodes
     * it draws, and reads no document but the start's. An id pointed at that names nothing (a dangling reference)
     * takes no place in the graph. What {@code caller} may not read is left out.
     */
    public ObjectNode around(EntityType type, String id, Caller caller) {
        return db.readByIndexes(c -> {
            Entity start = store.find(c, type, id).orElseThrow(() -> EntityStore.notFound(type, id));
            Scope.require(caller, start, false);
            Map<Key, Node> nodes = new LinkedHashMap<>();
            Set<Edge> edges = new LinkedHashSet<>();
            nodes.put(key(start), Node.of(start));
            List<Walked> level = List.of(walked(start));
            while (!level.isEmpty() && nodes.size() < MAX_NODES) {
                Map<Key, List<Edge>> own = new HashMap<>();
                Set<Key> named = new LinkedHashSet<>();
                for (Walked w : level) {
                    List<Edge> out = references(w.key(), w.pointers());
                    own.put(w.key(), out);
                    for (Edge edge : out) {
                        for (Key k : List.of(edge.source(), edge.destination())) {
                            if (!nodes.containsKey(k)) {
                                named.add(k);
                            }
                        }
                    }
                }
                LevelRead read = read(c, level, named, Scope.dependsOnEngine(caller));
                List<Found> joined = new ArrayList<>();
                for (Walked w : level) {
                    if (nodes.size() >= MAX_NODES) {
                        break;
                    }
                    for (Edge edge : edgesOf(w.key(), own.get(w.key()), read.referencing())) {
                        edges.add(edge);
                        for (Key k : List.of(edge.source(), edge.destination())) {
                            Found f = read.found().get(k);
                            if (f != null && !nodes.containsKey(k) && nodes.size() < MAX_NODES
                                    && Scope.allows(caller, k.type(), k.id(), f.engineName(), false)) {
                                nodes.put(k, f.node());
                                joined.add(f);
                            }
                        }
                    }
                }
                level = nodes.size() < MAX_NODES ? joined.stream().map(Found::walked).toList() : List.of();
            }
            return render(nodes, edges, false);
        });
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
            Walked w = walked(e);
            edges.addAll(references(w.key(), w.pointers()));
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

    /**
     * The select list of what a level reads of an entity of {@code type}: id, created, engine name (without
     * {@code withEngine}, when the caller's rights do not depend on it, none), what the graph shows (name, state,
     * sub-type), and the values of its {@link Pointer}s.
     */
    private static String columns(EntityType type, boolean withEngine) {
        String subType = subTypeField(type);
        return "id, created, " + (withEngine ? text(type, "engine_name") : "NULL::text") + " AS engine_name, "
                + text(type, "name") + " AS name, " + text(type, "state") + " AS state, "
                + (subType == null ? "NULL::text" : text(type, subType)) + " AS sub_type, " + Pointer.select(type);
    }

    /**
     * The SQL of a top-level text field of {@code type}'s documents: the table's generated column for it where it
     * has one (the same value, read without looking into the document), else the field.
     */
    private static String text(EntityType type, String field) {
        return type.generatedColumns().contains(field) ? field : "data ->> '" + field + "'";
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
     * An id an entity's document holds of another entity, drawn as an edge: from the entity named to the holder
     * (a workflow hangs from its datastore), or, when {@link #outward}, from the holder to it (a trigger starts its
     * workflows). A field holds one id, or, when {@link #many}, an array of them. The order is the order of a
     * holder's edges, which the walk follows.
     */
    private enum Pointer {
        WORKFLOW_DATASTORE(EntityType.WORKFLOW, "datastore_id", EntityType.DATASTORE, false, false),
        TRIGGER_WORKFLOWS(EntityType.TRIGGER, "workflow_ids", EntityType.WORKFLOW, true, true),
        TRIGGER_COMPLETED_WORKFLOW(EntityType.TRIGGER, "args.completed_workflow_id", EntityType.WORKFLOW, false, false),
        TRIGGER_SUBSCRIPTION(EntityType.TRIGGER, "args.subscription_id", EntityType.SUBSCRIPTION, false, false),
        TRIGGER_EVENT(EntityType.TRIGGER, "args.event_id", EntityType.EVENT, false, false),
        TRIGGER_COMPLETED_TRIGGERS(EntityType.TRIGGER, "args.completed_trigger_ids", EntityType.TRIGGER, false, true),
        ACTION_WORKFLOW(EntityType.ACTION, "workflow_id", EntityType.WORKFLOW, false, false),
        /** Only for an action outside any workflow: a step hangs from its workflow, whose datastore it shares. */
        ACTION_DATASTORE(EntityType.ACTION, "datastore_id", EntityType.DATASTORE, false, false),
        ACTION_DATASET(EntityType.ACTION, "args.dataset_id", EntityType.DATASET, false, false),
        ACTION_SUBSCRIPTION(EntityType.ACTION, "args.subscription_id", EntityType.SUBSCRIPTION, false, false),
        SUBSCRIPTION_DATASET(EntityType.SUBSCRIPTION, "dataset_id", EntityType.DATASET, false, false),
        INSTANCE_WORKFLOW(EntityType.WORKFLOW_INSTANCE, "workflow_id", EntityType.WORKFLOW, false, false);

        /** The most pointers a type has: a level's rows have a column for each, unused ones NULL. */
        static final int COLUMNS = 5;
        private static final Map<EntityType, List<Pointer>> BY_TYPE = new EnumMap<>(EntityType.class);

        static {
            for (Pointer p : values()) {
                BY_TYPE.computeIfAbsent(p.holder, t -> new ArrayList<>()).add(p);
            }
            if (BY_TYPE.values().stream().anyMatch(l -> l.size() > COLUMNS)) {
                throw new IllegalStateException("a type has more pointers than a level's rows have columns");
            }
        }

        final EntityType holder;
        /** The field's path in the document, dotted. */
        final String field;
        final EntityType target;
        final boolean outward;
        final boolean many;

        Pointer(EntityType holder, String field, EntityType target, boolean outward, boolean many) {
            this.holder = holder;
            this.field = field;
            this.target = target;
            this.outward = outward;
            this.many = many;
        }

        static List<Pointer> of(EntityType type) {
            return BY_TYPE.getOrDefault(type, List.of());
        }

        /**
         * The select list of a row's pointers, {@link #COLUMNS} columns: a field holding one id as text, an array as
         * its JSON. Text, not a JSON object built per row: building one cost PostgreSQL about 2.5 us more a row,
         * a third of a busy graph's statement.
         */
        static String select(EntityType type) {
            List<Pointer> pointers = of(type);
            List<String> columns = new ArrayList<>();
            for (int i = 0; i < COLUMNS; i++) {
                columns.add((i < pointers.size() ? pointers.get(i).column() : "NULL::text") + " AS p" + i);
            }
            return String.join(", ", columns);
        }

        /** The SQL of this field's value in a row: one id as text, an array as its JSON. */
        private String column() {
            String path = "'{" + field.replace('.', ',') + "}'";
            if (many) {
                return "(data #> " + path + ")::text";
            }
            return field.contains(".") ? "data #>> " + path : text(holder, field);
        }

        /** The ids a value of this field holds, as a level reads it ({@link #column}). */
        List<String> ids(String value) {
            if (value == null) {
                return List.of();
            }
            return many ? texts(Json.parseTrusted(value)) : List.of(value);
        }

        /** The ids this field of {@code document} holds. */
        List<String> idsIn(JsonNode document) {
            JsonNode value = document.at("/" + field.replace('.', '/'));
            if (value.isMissingNode() || value.isNull()) {
                return List.of();
            }
            return many ? texts(value) : List.of(value.asText());
        }

        private static List<String> texts(JsonNode array) {
            List<String> out = new ArrayList<>();
            array.forEach(id -> out.add(id.asText()));
            return out;
        }
    }

    /** An entity read whole, with its pointers taken from its document. */
    private static Walked walked(Entity e) {
        return new Walked(key(e), Pointer.of(e.type()).stream().map(p -> p.idsIn(e.data())).toList());
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
        Comparator<Found> comparator() {
            Comparator<Found> ascending = Comparator.comparing(Found::created)
                    .thenComparing(r -> r.key().id());
            return order.contains("DESC") ? ascending.reversed() : ascending;
        }
    }

    /**
     * A level's one statement: for each kind of reference to the level's entities, the referencing entities by
     * source id, in the reference's order; and the entities of {@code named} that exist. Each kind of reference, and
     * each type named, is a branch of a UNION ALL, its rows tagged with the reference's ordinal (-1 for a read by
     * id) and their type, so a level costs one round trip and one plan however many kinds its types have.
     * {@code withEngine}: see {@link #columns}.
     */
    private static LevelRead read(Connection c, List<Walked> level, Set<Key> named, boolean withEngine)
            throws SQLException {
        Map<Reference, Map<String, List<Found>>> referencing = new EnumMap<>(Reference.class);
        Map<Key, Found> found = new HashMap<>();
        List<String> branches = new ArrayList<>();
        List<List<String>> ids = new ArrayList<>();
        for (Reference r : Reference.values()) {
            List<String> sources = level.stream().filter(w -> w.key().type() == r.source).map(w -> w.key().id())
                    .toList();
            if (!sources.isEmpty()) {
                branches.add("SELECT " + r.ordinal() + " AS reference, " + r.type.ordinal() + " AS type,"
                        + " s.id AS source, t.*"
                        + " FROM unnest(?::text[]) AS s(id) CROSS JOIN LATERAL (SELECT " + columns(r.type, withEngine)
                        + " FROM " + r.type.table() + " WHERE " + r.condition + " ORDER BY " + r.order
                        + " LIMIT " + r.limit + ") t");
                ids.add(sources);
            }
        }
        Map<EntityType, List<String>> namedByType = new EnumMap<>(EntityType.class);
        named.forEach(k -> namedByType.computeIfAbsent(k.type(), t -> new ArrayList<>()).add(k.id()));
        namedByType.forEach((type, keys) -> {
            branches.add("SELECT -1 AS reference, " + type.ordinal() + " AS type, NULL::text AS source, "
                    + columns(type, withEngine) + " FROM "
                    + type.table() + " WHERE id = ANY(?::text[])");
            ids.add(keys);
        });
        if (branches.isEmpty()) {
            return new LevelRead(referencing, found);
        }
        try (PreparedStatement ps = c.prepareStatement(String.join(" UNION ALL ", branches))) {
            for (int i = 0; i < ids.size(); i++) {
                ps.setArray(i + 1, c.createArrayOf("text", ids.get(i).toArray()));
            }
            // columns by position, and the time as an OffsetDateTime, which the driver reads without a Calendar:
            // a wide level has hundreds of rows, and lookups by label and Calendars showed in its profile
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int ordinal = rs.getInt(1);
                    Reference r = ordinal < 0 ? null : Reference.values()[ordinal];
                    Found f = new Found(new Node(new Key(EntityType.values()[rs.getInt(2)], rs.getString(4)),
                            rs.getString(7), rs.getString(8), rs.getString(9)),
                            rs.getObject(5, OffsetDateTime.class).toInstant(), rs.getString(6), pointers(rs));
                    found.put(f.key(), f);
                    if (r != null) {
                        referencing.computeIfAbsent(r, k -> new HashMap<>())
                                .computeIfAbsent(rs.getString(3), k -> new ArrayList<>()).add(f);
                    }
                }
            }
        }
        // the branches' rows come in no promised order: each source's list is put back in its reference's
        referencing.forEach((r, bySource) -> bySource.values().forEach(list -> list.sort(r.comparator())));
        return new LevelRead(referencing, found);
    }

    /** The edges {@code self}'s document makes ({@code own}), then those the entities referencing it make. */
    private static List<Edge> edgesOf(Key self, List<Edge> own, Map<Reference, Map<String, List<Found>>> referencing) {
        List<Edge> out = new ArrayList<>(own);
        Function<Reference, List<Found>> of = r -> referencing.getOrDefault(r, Map.of())
                .getOrDefault(self.id(), List.of());
        switch (self.type()) {
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

    /** The pointer columns of a level's row ({@link Pointer#select}), after the node's columns. */
    private static String[] pointers(ResultSet rs) throws SQLException {
        String[] out = new String[Pointer.COLUMNS];
        for (int i = 0; i < out.length; i++) {
            out[i] = rs.getString(10 + i);
        }
        return out;
    }

    /**
     * The edges an entity's own document makes, from the ids its {@link Pointer}s hold. The graph around a stored
     * entity adds the references others make to it; a subgraph template is drawn from these alone.
     */
    private static List<Edge> references(Key self, List<List<String>> pointers) {
        List<Edge> out = new ArrayList<>();
        List<Pointer> of = Pointer.of(self.type());
        for (int i = 0; i < of.size(); i++) {
            Pointer p = of.get(i);
            if (p == Pointer.ACTION_DATASTORE && !pointers.get(of.indexOf(Pointer.ACTION_WORKFLOW)).isEmpty()) {
                continue;
            }
            for (String id : pointers.get(i)) {
                Key other = new Key(p.target, id);
                out.add(p.outward ? new Edge(self, other) : new Edge(other, self));
            }
        }
        return out;
    }

    /** Edges from {@code self} to each of {@code entities}. */
    private static void from(Key self, List<Found> entities, List<Edge> out) {
        for (Found e : entities) {
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
