package io.dartmart.domain.graph;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.error.NotFoundException;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.filter.FilterParser;
import io.dartmart.domain.filter.OrderBy;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.store.ListQuery;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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

    private record Key(EntityType type, String id) {
    }

    private record Edge(Key source, Key destination) {
    }

    public ObjectNode around(EntityType type, String id) {
        return db.read(c -> {
            Entity start = store.find(c, type, id).orElseThrow(() -> EntityStore.notFound(type, id));
            Map<Key, Entity> nodes = new LinkedHashMap<>();
            Set<Edge> edges = new LinkedHashSet<>();
            Deque<Entity> queue = new ArrayDeque<>();
            nodes.put(key(start), start);
            queue.add(start);
            while (!queue.isEmpty() && nodes.size() < MAX_NODES) {
                Entity e = queue.poll();
                for (Edge edge : edgesOf(c, e)) {
                    edges.add(edge);
                    for (Key k : List.of(edge.source(), edge.destination())) {
                        if (!nodes.containsKey(k) && nodes.size() < MAX_NODES) {
                            store.find(c, k.type(), k.id()).ifPresent(found -> {
                                nodes.put(k, found);
                                queue.add(found);
                            });
                        }
                    }
                }
            }
            return render(nodes, edges, false);
        });
    }

    /**
     * The graph of entities not stored yet (a subgraph template): their references to one another and to the
     * entities they will hang from, which are not among {@code entities}.
     */
    public static ObjectNode drawUnsaved(List<Entity> entities) {
        Map<Key, Entity> nodes = new LinkedHashMap<>();
        Set<Edge> edges = new LinkedHashSet<>();
        for (Entity e : entities) {
            nodes.put(key(e), e);
            edges.addAll(references(key(e), e.data()));
        }
        return render(nodes, edges, true);
    }

    private static ObjectNode render(Map<Key, Entity> nodes, Set<Edge> edges, boolean keepOutsideEdges) {
        ObjectNode out = Json.object();
        ArrayNode nodeArray = out.putArray("nodes");
        nodes.values().forEach(e -> {
            ObjectNode n = nodeArray.addObject();
            n.put("entity_type", e.type().wireName());
            n.put("entity_id", e.id());
            n.put("name", displayName(e));
            n.put("state", e.text("state"));
            n.put("sub_type", subType(e));
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

    private static String displayName(Entity e) {
        String name = e.text("name");
        return name != null ? name : e.type().wireName() + " " + e.id();
    }

    private static String subType(Entity e) {
        return switch (e.type()) {
            case TRIGGER -> e.text("trigger_type_name");
            case ACTION -> e.text("action_type_name");
            case DATASTORE -> e.text("engine_name");
            default -> null;
        };
    }

    private static Key key(Entity e) {
        return new Key(e.type(), e.id());
    }

    private List<Edge> edgesOf(Connection c, Entity e) throws SQLException {
        Key self = key(e);
        List<Edge> out = new ArrayList<>(references(self, e.data()));
        switch (e.type()) {
            case DATASTORE -> {
                from(c, self, EntityType.WORKFLOW, out, "datastore_id = " + e.id());
                for (Entity action : find(c, EntityType.ACTION, "datastore_id = " + e.id())) {
                    if (action.text("workflow_id") == null) {
                        out.add(new Edge(self, key(action)));
                    }
                }
            }
            case WORKFLOW -> {
                from(c, self, EntityType.ACTION, out, "workflow_id = " + e.id(), "state = TEMPLATE");
                for (Entity run : store.list(c, EntityType.WORKFLOW_INSTANCE, new ListQuery(
                        List.of(Filter.eq("workflow_id", e.id())), List.of(new OrderBy(List.of("created"), true)),
                        RECENT_RUNS, 0)).items()) {
                    out.add(new Edge(self, key(run)));
                }
                to(c, self, EntityType.TRIGGER, out, "workflow_ids = " + e.id());
                from(c, self, EntityType.TRIGGER, out, "args.completed_workflow_id = " + e.id());
            }
            case TRIGGER -> from(c, self, EntityType.TRIGGER, out, "args.completed_trigger_ids = " + e.id());
            case DATASET -> {
                from(c, self, EntityType.SUBSCRIPTION, out, "dataset_id = " + e.id());
                from(c, self, EntityType.ACTION, out, "args.dataset_id = " + e.id(), "state IN TEMPLATE,HAS_NEVER_RUN");
            }
            case SUBSCRIPTION -> {
                from(c, self, EntityType.TRIGGER, out, "args.subscription_id = " + e.id());
                from(c, self, EntityType.ACTION, out, "args.subscription_id = " + e.id(), "state IN TEMPLATE,HAS_NEVER_RUN");
            }
            case EVENT -> from(c, self, EntityType.TRIGGER, out, "args.event_id = " + e.id());
            case WORKFLOW_INSTANCE -> from(c, self, EntityType.ACTION, out, "workflow_instance_id = " + e.id());
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

    /** Edges from {@code self} to each entity of {@code type} matching the filters. */
    private void from(Connection c, Key self, EntityType type, List<Edge> out, String... filters) throws SQLException {
        for (Entity e : find(c, type, filters)) {
            out.add(new Edge(self, key(e)));
        }
    }

    /** Edges to {@code self} from each entity of {@code type} matching the filters. */
    private void to(Connection c, Key self, EntityType type, List<Edge> out, String... filters) throws SQLException {
        for (Entity e : find(c, type, filters)) {
            out.add(new Edge(key(e), self));
        }
    }

    private List<Entity> find(Connection c, EntityType type, String... filters) throws SQLException {
        List<Filter> parsed = new ArrayList<>();
        for (String f : filters) {
            parsed.add(FilterParser.parseFilter(f));
        }
        return store.list(c, type, new ListQuery(parsed, List.of(), MAX_NEIGHBOURS, 0)).items();
    }

    /** {@code [{entity_type, entity_id, name}]} of named entities whose name contains {@code search}. */
    public ArrayNode identifiers(String search) {
        return db.read(c -> {
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
                for (Entity e : store.list(c, type, new ListQuery(typed, List.of(), 20, 0)).items()) {
                    ObjectNode n = out.addObject();
                    n.put("entity_type", type.wireName());
                    n.put("entity_id", e.id());
                    n.put("name", displayName(e));
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
