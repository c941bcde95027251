package io.dartmart.domain.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.error.ConflictException;
import io.dartmart.domain.error.NotFoundException;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.filter.FilterCompiler;
import io.dartmart.domain.filter.Ordering;
import io.dartmart.domain.filter.SqlFragment;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Ids;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.model.Timestamps;
import jakarta.inject.Singleton;
import org.postgresql.PGStatement;

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

    /**
     * One page of the matches. Its cost follows the page, not the table: the rows come from an index walk in the
     * asked order (from the cursor's position with {@code after}), and {@code total} is exact only up to
     * {@link #EXACT_TOTAL_UP_TO} matches or when the page itself shows where the matches end; past that, or when the
     * planner expects {@link #COUNT_BELOW_ESTIMATE} matches or more, it is the planner's estimate, or a lower bound
     * when the estimate is below what the page proves. An unfiltered list of a table counted by day
     * ({@link DayCounts}) has an exact total, and its deep offsets start at their day.
     */
    public Page list(Connection c, EntityType type, ListQuery query) throws SQLException {
        Rows rows = rows(c, type, query);
        Total total = total(c, type, rows.where(), query, rows.items().size(), rows.more());
        String cursor = rows.more() && rows.lastPosition() != null
                ? Cursor.encode(rows.ordering(), rows.lastPosition()) : null;
        return new Page(rows.items(), query.limit(), query.offset(), total.count(), total.kind(), cursor);
    }

    /** The entities of one page, as {@link #list} finds them, without the count and the cursor a listing adds. */
    public List<Entity> page(Connection c, EntityType type, ListQuery query) throws SQLException {
        return rows(c, type, query).items();
    }

    /** A page's entities; whether more match; the last one's position in the ordering; the filters' SQL. */
    private record Rows(List<Entity> items, boolean more, List<String> lastPosition, Ordering ordering,
                        SqlFragment where) {
    }

    private Rows rows(Connection c, EntityType type, ListQuery query) throws SQLException {
        FilterCompiler compiler = new FilterCompiler(type);
        SqlFragment where = compiler.where(query.filters());
        Ordering ordering = compiler.ordering(query.orderBy());
        SqlFragment window = where;
        if (query.after() != null) {
            if (query.offset() != 0) {
                throw new InvalidInputException("offset: cannot be combined with after; a cursor already says where to start");
            }
            SqlFragment after = ordering.after(Cursor.decode(query.after(), ordering));
            List<Object> params = new ArrayList<>(where.params());
            params.addAll(after.params());
            window = new SqlFragment(where.sql() + " AND " + after.sql(), params);
        }
        List<Entity> items = new ArrayList<>();
        List<String> lastPosition = null;
        String order = " ORDER BY " + ordering.sql().sql();
        SqlFragment position = ordering.positionColumns();
        // the page's ids come from a walk of an index in the asked order, in the index alone where it holds the
        // filtered columns (the skipped rows of an offset; the names a `name ~` tests, which the created index
        // includes), from the day a deep offset falls in where the rows are counted by day; only the page's rows
        // are read whole
        DayCounts.Skip skip = DayCounts.skip(type, query, ordering);
        String walk = skip == null ? window.sql() : window.sql() + " AND " + skip.condition();
        String offset = query.offset() == 0 ? "" : " OFFSET " + (skip == null ? "?" : skip.offset());
        String from = type.table() + " JOIN (SELECT id FROM " + type.table() + " WHERE " + walk + order
                + " LIMIT ?" + offset + ") page USING (id)" + order;
        try (PreparedStatement ps = c.prepareStatement((skip == null ? "" : skip.with().sql())
                + "SELECT id, version_id, created, updated, data, " + position.sql() + " FROM " + from)) {
            customPlan(ps);
            int next = skip == null ? 1 : bind(c, ps, skip.with().params(), 1);
            next = bind(c, ps, position.params(), next);
            next = bind(c, ps, window.params(), next);
            next = bind(c, ps, ordering.sql().params(), next);
            ps.setInt(next++, query.limit() + 1);
            if (query.offset() != 0) {
                ps.setInt(next++, query.offset());
            }
            bind(c, ps, ordering.sql().params(), next);
            int rows = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && ++rows <= query.limit()) {
                    items.add(read(type, rs));
                    lastPosition = new ArrayList<>();
                    for (int i = 0; i < ordering.width(); i++) {
                        lastPosition.add(rs.getString("k" + i));
                    }
                }
            }
            return new Rows(items, rows > query.limit(), lastPosition, ordering, where);
        }
    }

    /** Exact counts stop here: counting further costs a walk of every match. */
    public static final int EXACT_TOTAL_UP_TO = 1000;
    /**
     * No count is tried when the planner expects this many matches: reaching {@link #EXACT_TOTAL_UP_TO} of a filter
     * that matches one row in twenty of a million (a {@code name ~}) walks some 20,000 rows, most of a deep page's
     * cost, for a count that would only say "at least 1,000".
     */
    static final long COUNT_BELOW_ESTIMATE = 10L * EXACT_TOTAL_UP_TO;

    private record Total(long count, Page.TotalKind kind) {
    }

    private Total total(Connection c, EntityType type, SqlFragment where, ListQuery query, int found, boolean more)
            throws SQLException {
        boolean fromStart = query.after() == null;
        if (fromStart && !more && (found > 0 || query.offset() == 0)) {
            return new Total(query.offset() + found, Page.TotalKind.EXACT);
        }
        long byDay = DayCounts.total(c, type, query);
        if (byDay >= 0) {
            return new Total(byDay, Page.TotalKind.EXACT);
        }
        long proven = (fromStart ? query.offset() : 0) + found + (more ? 1 : 0);
        long estimate = estimate(c, type, where);
        if (estimate >= COUNT_BELOW_ESTIMATE) {
            return bounded(estimate, proven);
        }
        long counted;
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM (SELECT 1 FROM " + type.table()
                + " WHERE " + where.sql() + " LIMIT " + EXACT_TOTAL_UP_TO + ") m")) {
            customPlan(ps);
            bind(c, ps, where.params(), 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                counted = rs.getLong(1);
            }
        }
        if (counted < EXACT_TOTAL_UP_TO) {
            return new Total(counted, Page.TotalKind.EXACT);
        }
        return bounded(estimate, Math.max(counted, proven));
    }

    private static Total bounded(long estimate, long proven) {
        return estimate >= proven ? new Total(estimate, Page.TotalKind.ESTIMATE)
                : new Total(proven, Page.TotalKind.LOWER_BOUND);
    }

    /** The planner's estimate of the matches, from the statistics ANALYZE keeps. */
    private static long estimate(Connection c, EntityType type, SqlFragment where) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("EXPLAIN (FORMAT JSON) SELECT 1 FROM " + type.table()
                + " WHERE " + where.sql())) {
            customPlan(ps);
            bind(c, ps, where.params(), 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return Json.parseTrusted(rs.getString(1)).path(0).path("Plan").path("Plan Rows").asLong();
            }
        }
    }

    /**
     * Plans the statement for its actual values every time. A plan cached for any value (PostgreSQL's generic plan,
     * chosen after five executions of a named statement) was seen walking the whole created index for
     * {@code state = $1} because it could not know that the state is rare.
     */
    private static void customPlan(PreparedStatement ps) throws SQLException {
        ps.unwrap(PGStatement.class).setPrepareThreshold(0);
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
        FilterCompiler compiler = new FilterCompiler(type);
        SqlFragment where = compiler.where(query.filters());
        SqlFragment order = compiler.orderBy(query.orderBy());
        List<Entity> items = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT id, version_id, created, updated, data FROM "
                + type.table() + " WHERE " + where.sql() + " ORDER BY " + order.sql() + " LIMIT " + ListQuery.MAX_LIMIT)) {
            int next = bind(c, ps, where.params(), 1);
            bind(c, ps, order.params(), next);
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
