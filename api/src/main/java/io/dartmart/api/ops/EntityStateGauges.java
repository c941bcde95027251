package io.dartmart.api.ops;

import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.Db;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code dart_entities{entity, state}}: how many entities of each kind are in each state, refreshed on a timer
 * rather than on every scrape, so a busy scraper never loads the database. A table of more than
 * {@link #COUNTED_UP_TO} rows is not counted but estimated from the statistics ANALYZE keeps (its row count times
 * each state's frequency), as counting it would read it whole every time.
 */
@Singleton
public class EntityStateGauges {
    private static final Logger LOG = LoggerFactory.getLogger(EntityStateGauges.class);
    private static final List<EntityType> COUNTED = List.of(EntityType.ACTION, EntityType.WORKFLOW_INSTANCE,
            EntityType.WORKFLOW, EntityType.DATASTORE, EntityType.TRIGGER, EntityType.SUBSCRIPTION,
            EntityType.SUBSCRIPTION_ELEMENT);

    static final long COUNTED_UP_TO = 100_000;
    private static final String COUNT = "SELECT coalesce(state, 'NONE'), count(*) FROM %s GROUP BY 1";
    private static final String ESTIMATE = "SELECT coalesce(v.state, 'NONE'), round(c.reltuples * v.freq)"
            + " FROM pg_class c, pg_stats s, unnest(s.most_common_vals::text::text[], s.most_common_freqs) AS v(state, freq)"
            + " WHERE c.oid = '%1$s'::regclass AND s.schemaname = current_schema() AND s.tablename = '%1$s'"
            + " AND s.attname = 'state'";

    private final Db db;
    private final Map<EntityType, MultiGauge> gauges = new ConcurrentHashMap<>();

    public EntityStateGauges(Db db, MeterRegistry registry) {
        this.db = db;
        for (EntityType type : COUNTED) {
            gauges.put(type, MultiGauge.builder("dart.entities").description("entities by kind and state")
                    .tag("entity", type.wireName()).register(registry));
        }
    }

    /** The table's size as of its last ANALYZE; -1 when it has none. */
    private static double rows(Connection c, EntityType type) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT reltuples FROM pg_class WHERE oid = ?::regclass")) {
            ps.setString(1, type.table());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getDouble(1) : -1;
            }
        }
    }

    @Scheduled(fixedDelay = "${dart.metrics.entity-refresh:15s}", initialDelay = "1s")
    void refresh() {
        try {
            for (EntityType type : COUNTED) {
                List<MultiGauge.Row<?>> rows = new ArrayList<>();
                db.readWithCustomPlans(c -> {
                    String sql = String.format(rows(c, type) > COUNTED_UP_TO ? ESTIMATE : COUNT, type.table());
                    try (PreparedStatement ps = c.prepareStatement(sql);
                         ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rows.add(MultiGauge.Row.of(Tags.of("state", rs.getString(1)), rs.getLong(2)));
                        }
                    }
                    return null;
                });
                gauges.get(type).register(rows, true);
            }
        } catch (RuntimeException e) {
            LOG.warn("could not refresh the entity gauges: {}", e.getMessage());
        }
    }
}
