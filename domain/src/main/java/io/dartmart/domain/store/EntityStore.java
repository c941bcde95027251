package io.dartmart.domain.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.error.ConflictException;
import io.dartmart.domain.error.NotFoundException;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.filter.FilterCompiler;
import io.dartmart.domain.filter.SqlFragment;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Ids;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.model.Timestamps;
import jakarta.inject.Singleton;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one generic store of JSONB documents. Every method takes the caller's connection, so a service composes
 * several calls into one transaction. Table names come from {@link EntityType}, never from input.
 */
@Singleton
public class EntityStore {
    private final Clock clock;

    public EntityStore(Clock clock) {
        this.clock = clock;
    }

    public Entity insert(Connection c, EntityType type, ObjectNode data) throws SQLException {
        return insert(c, type, Ids.newId(), data);
    }

    public Entity insert(Connection c, EntityType type, String id, ObjectNode data) throws SQLException {
        Instant now = Timestamps.now(clock);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + type.table()
                + " (id, version_id, created, updated, data) VALUES (?, 1, ?, ?, ?::jsonb)")) {
            ps.setString(1, id);
            ps.setObject(2, OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
            ps.setObject(3, OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
            ps.setString(4, Json.write(data));
            ps.executeUpdate();
        }
        return new Entity(type, id, 1, now, now, data.deepCopy());
    }

    public Optional<Entity> find(Connection c, EntityType type, String id) throws SQLException {
        return findOne(c, type, id, "");
    }

    /** Reads and row-locks the entity until the transaction ends, so a read-modify-write cannot interleave. */
    public Optional<Entity> findForUpdate(Connection c, EntityType type, String id) throws SQLException {
        return findOne(c, type, id, " FOR UPDATE");
    }

    public Entity get(Connection c, EntityType type, String id) throws SQLException {
        return find(c, type, id).orElseThrow(() -> notFound(type, id));
    }

    public Entity getForUpdate(Connection c, EntityType type, String id) throws SQLException {
        return findForUpdate(c, type, id).orElseThrow(() -> notFound(type, id));
    }

    public static NotFoundException notFound(EntityType type, String id) {
        return new NotFoundException(type.wireName() + " '" + id + "' does not exist");
    }

    /**
     * {@link #findForUpdate} of several entities in one statement, locked in id order (so two callers locking
     * overlapping sets cannot deadlock); answers the ones that exist, by id.
     */
    public Map<String, Entity> findAllForUpdate(Connection c, EntityType type, Collection<String> ids)
            throws SQLException {
        Map<String, Entity> out = new LinkedHashMap<>();
        for (Entity e : selectWhere(c, type, "id = ANY(?) ORDER BY id FOR UPDATE", ids)) {
            out.put(e.id(), e);
        }
        return out;
    }

    /**
     * The entities matching {@code condition}: SQL after {@code WHERE}, written in code (never from input), whose one
     * parameter is the text array {@code values}. No statement runs when {@code values} is empty.
     */
    public List<Entity> selectWhere(Connection c, EntityType type, String condition, Collection<String> values)
            throws SQLException {
        List<Entity> out = new ArrayList<>();
        if (values.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, version_id, created, updated, data FROM "
                + type.table() + " WHERE " + condition)) {
            ps.setArray(1, c.createArrayOf("text", values.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(read(type, rs));
                }
            }
        }
        return out;
    }

    private Optional<Entity> findOne(Connection c, EntityType type, String id, String lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, version_id, created, updated, data FROM " + type.table() + " WHERE id = ?" + lock)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(type, rs)) : Optional.empty();
            }
        }
    }

    /**
     * Replaces the document of {@code current} when its version is still the stored one; the version then
     * increments. A concurrent writer that got there first makes this a 409, never a silent overwrite.
     */
    public Entity update(Connection c, Entity current, ObjectNode data) throws SQLException {
        EntityType type = current.type();
        Instant now = Timestamps.now(clock);
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + type.table()
                + " SET data = ?::jsonb, version_id = version_id + 1, updated = ? WHERE id = ? AND version_id = ?")) {
            ps.setString(1, Json.write(data));
            ps.setObject(2, OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
            ps.setString(3, current.id());
            ps.setInt(4, current.versionId());
            if (ps.executeUpdate() == 0) {
                if (find(c, type, current.id()).isEmpty()) {
                    throw notFound(type, current.id());
                }
                throw staleVersion(type, current.id(), current.versionId());
            }
        }
        return new Entity(type, current.id(), current.versionId() + 1, current.created(), now, data.deepCopy());
    }

    /**
     * {@link #update} of several entities of one type in one statement: {@code data.get(i)} replaces the document of
     * {@code current.get(i)}. All or nothing: a stale version or a missing row fails the whole call.
     */
    public List<Entity> updateAll(Connection c, List<Entity> current, List<ObjectNode> data) throws SQLException {
        if (current.size() == 1) {
            return List.of(update(c, current.get(0), data.get(0)));
        }
        List<Entity> out = new ArrayList<>(current.size());
        if (current.isEmpty()) {
            return out;
        }
        EntityType type = current.get(0).type();
        Instant now = Timestamps.now(clock);
        String[] ids = new String[current.size()];
        Integer[] versions = new Integer[current.size()];
        String[] documents = new String[current.size()];
        for (int i = 0; i < ids.length; i++) {
            Entity e = current.get(i);
            if (e.type() != type) {
                throw new IllegalArgumentException("updateAll takes entities of one type, got " + type + " and " + e.type());
            }
            ids[i] = e.id();
            versions[i] = e.versionId();
            documents[i] = Json.write(data.get(i));
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + type.table() + " t SET data = u.data::jsonb,"
                + " version_id = t.version_id + 1, updated = ? FROM unnest(?::text[], ?::int[], ?::text[])"
                + " AS u(id, version_id, data) WHERE t.id = u.id AND t.version_id = u.version_id RETURNING t.id")) {
            ps.setObject(1, OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC));
            ps.setArray(2, c.createArrayOf("text", ids));
            ps.setArray(3, c.createArrayOf("int4", versions));
            ps.setArray(4, c.createArrayOf("text", documents));
            Set<String> updated = new HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    updated.add(rs.getString(1));
                }
            }
            if (updated.size() != ids.length) {
                for (Entity e : current) {
                    if (!updated.contains(e.id())) {
                        if (find(c, type, e.id()).isEmpty()) {
                            throw notFound(type, e.id());
                        }
                        throw staleVersion(type, e.id(), e.versionId());
                    }
                }
                throw new IllegalArgumentException("updateAll was given the same " + type.wireName() + " twice");
            }
        }
        for (int i = 0; i < ids.length; i++) {
            Entity e = current.get(i);
            out.add(new Entity(type, e.id(), e.versionId() + 1, e.created(), now, data.get(i).deepCopy()));
        }
        return out;
    }

    public static ConflictException staleVersion(EntityType type, String id, int versionId) {
        return new ConflictException("/version_id: " + type.wireName() + " '" + id
                + "' was changed by someone else since version " + versionId + "; read it again and retry");
    }

    public boolean delete(Connection c, EntityType type, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + type.table() + " WHERE id = ?")) {
            ps.setString(1, id);
            return ps.executeUpdate() > 0;
        }
    }

    /** Deletes every row whose lookup column equals {@code value}; {@code column} must be a generated column. */
    public int deleteWhere(Connection c, EntityType type, String column, String value) throws SQLException {
        requireColumn(type, column);
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + type.table() + " WHERE " + column + " = ?")) {
            ps.setString(1, value);
            return ps.executeUpdate();
        }
    }

    /** Ids of the rows whose lookup column equals {@code value}. */
    public List<String> idsWhere(Connection c, EntityType type, String column, String value) throws SQLException {
        requireColumn(type, column);
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id FROM " + type.table() + " WHERE " + column + " = ?")) {
            ps.setString(1, value);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
        }
        return ids;
    }

    private static void requireColumn(EntityType type, String column) {
        if (!type.generatedColumns().contains(column)) {
            throw new IllegalArgumentException(type + " has no lookup column " + column);
        }
    }

    public Page list(Connection c, EntityType type, ListQuery query) throws SQLException {
        long total = count(c, type, query.filters());
        List<Entity> items = query.offset() < total ? select(c, type, query) : List.of();
        return new Page(items, query.limit(), query.offset(), total);
    }

    /** How many entities match the filters. */
    public long count(Connection c, EntityType type, List<Filter> filters) throws SQLException {
        SqlFragment where = new FilterCompiler(type).where(filters);
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + type.table() + " WHERE " + where.sql())) {
            bind(c, ps, where.params(), 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Every entity matching the filters, unpaged and uncounted; for internal lookups over small sets. */
    public List<Entity> all(Connection c, EntityType type, ListQuery query) throws SQLException {
        return select(c, type, new ListQuery(query.filters(), query.orderBy(), ListQuery.MAX_LIMIT, 0));
    }

    private List<Entity> select(Connection c, EntityType type, ListQuery query) throws SQLException {
        FilterCompiler compiler = new FilterCompiler(type);
        SqlFragment where = compiler.where(query.filters());
        SqlFragment order = compiler.orderBy(query.orderBy());
        List<Entity> items = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, version_id, created, updated, data FROM "
                + type.table() + " WHERE " + where.sql() + " ORDER BY " + order.sql() + " LIMIT ? OFFSET ?")) {
            int next = bind(c, ps, where.params(), 1);
            next = bind(c, ps, order.params(), next);
            ps.setInt(next++, query.limit());
            ps.setInt(next, query.offset());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    items.add(read(type, rs));
                }
            }
        }
        return items;
    }

    /** Binds {@link SqlFragment} parameters from position {@code start}; answers the next free position. */
    public static int bind(Connection c, PreparedStatement ps, List<Object> params, int start) throws SQLException {
        int i = start;
        for (Object p : params) {
            if (p instanceof String[] array) {
                ps.setArray(i++, c.createArrayOf("text", array));
            } else if (p instanceof BigDecimal number) {
                ps.setBigDecimal(i++, number);
            } else if (p instanceof OffsetDateTime time) {
                ps.setObject(i++, time);
            } else if (p instanceof Integer n) {
                ps.setInt(i++, n);
            } else {
                ps.setString(i++, (String) p);
            }
        }
        return i;
    }

    public static Entity read(EntityType type, ResultSet rs) throws SQLException {
        return new Entity(type, rs.getString("id"), rs.getInt("version_id"),
                rs.getTimestamp("created").toInstant(), rs.getTimestamp("updated").toInstant(),
                (ObjectNode) Json.parseTrusted(rs.getString("data")));
    }
}
