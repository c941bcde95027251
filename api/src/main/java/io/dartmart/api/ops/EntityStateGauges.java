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

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code dart_entities{entity, state}}: how many entities of each kind are in each state, refreshed on a timer
 * rather than on every scrape, so a busy scraper never loads the database.
 */
@Singleton
public class EntityStateGauges {
    private static final Logger LOG = LoggerFactory.getLogger(EntityStateGauges.class);
    private static final List<EntityType> COUNTED = List.of(EntityType.ACTION, EntityType.WORKFLOW_INSTANCE,
            EntityType.WORKFLOW, EntityType.DATASTORE, EntityType.TRIGGER, EntityType.SUBSCRIPTION,
            EntityType.SUBSCRIPTION_ELEMENT);

    private final Db db;
    private final Map<EntityType, MultiGauge> gauges = new ConcurrentHashMap<>();

    public EntityStateGauges(Db db, MeterRegistry registry) {
        this.db = db;
        for (EntityType type : COUNTED) {
            gauges.put(type, MultiGauge.builder("dart.entities").description("entities by kind and state")
                    .tag("entity", type.wireName()).register(registry));
        }
    }

    @Scheduled(fixedDelay = "${dart.metrics.entity-refresh:15s}", initialDelay = "1s")
    void refresh() {
        try {
            for (EntityType type : COUNTED) {
                List<MultiGauge.Row<?>> rows = new ArrayList<>();
                db.read(c -> {
                    try (PreparedStatement ps = c.prepareStatement(
                            "SELECT coalesce(state, 'NONE'), count(*) FROM " + type.table() + " GROUP BY 1");
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
