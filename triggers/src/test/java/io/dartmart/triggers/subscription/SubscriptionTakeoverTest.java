package io.dartmart.triggers.subscription;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.auth.Role;
import io.dartmart.domain.filter.Filter;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.service.Entities;
import io.dartmart.domain.service.NestedEntities;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.store.ListQuery;
import io.dartmart.domain.subscription.SubscriptionGenerations;
import io.dartmart.domain.testing.TestDatabase;
import io.dartmart.domain.testing.TestS3;
import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A listing whose worker died is taken over by another worker where it stopped. No worker runs in the background
 * here: the test plays both workers itself.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SubscriptionTakeoverTest {
    private ApplicationContext context;
    private Db db;
    private EntityStore store;

    @BeforeAll
    void start() {
        Map<String, Object> props = new HashMap<>(TestDatabase.datasourceProperties());
        props.putAll(TestS3.properties());
        props.put("flyway.datasources.default.enabled", true);
        props.put("dart.secrets.key", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
        context = ApplicationContext.builder().properties(props).deduceEnvironment(false).start();
        db = context.getBean(Db.class);
        store = context.getBean(EntityStore.class);
    }

    @AfterAll
    void stop() {
        context.close();
    }

    private static ObjectNode body(Object data) {
        ObjectNode b = Json.object();
        b.set("data", Json.MAPPER.valueToTree(data));
        return b;
    }

    @Test
    void aListingWhoseWorkerDiedIsTakenOverWhereItStopped() {
        S3Client s3 = context.getBean(S3Client.class);
        String bucket = "takeover-" + UUID.randomUUID().toString().substring(0, 8);
        s3.createBucket(b -> b.bucket(bucket));
        for (int i = 0; i < 3; i++) {
            s3.putObject(b -> b.bucket(bucket).key("t/f" + System.nanoTime()), RequestBody.fromBytes(new byte[1]));
        }
        List<String> keys = s3.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(o -> o.key()).toList();
        Caller admin = new Caller("test@example.com", Role.ADMIN, null);
        String dataset = context.getBean(Entities.class).create(EntityType.DATASET, body(Map.of("name",
                "ds_" + bucket, "location", "s3://" + bucket + "/t", "data_format",
                Map.of("file_format", "TEXTFILE", "row_format", "DELIMITED", "delimited_by", ","))), admin).id();
        Entity sub = context.getBean(NestedEntities.class).subscriptionOnDataset(dataset, body(Map.of("name", "s")),
                admin);
        SubscriptionGenerations generations = context.getBean(SubscriptionGenerations.class);

        // the first worker claims the listing, stores up to the first key, and dies
        var dead = claimUntil(generations, "dead-worker", sub.id());
        db.tx(c -> generations.progress(c, dead, keys.get(0)));
        assertTrue(db.tx(c -> generations.claim(c, "other", Duration.ofMinutes(1))).stream()
                .noneMatch(l -> l.subscription().id().equals(sub.id())), "a live lease is not taken");
        db.tx(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE subscription_generation SET heartbeat ="
                    + " heartbeat - interval '10 minutes' WHERE subscription_id = ?")) {
                ps.setString(1, sub.id());
                ps.executeUpdate();
            }
            return null;
        });

        var taken = claimUntil(generations, "other", sub.id());
        assertEquals(keys.get(0), taken.lastKey());
        assertTrue(context.getBean(SubscriptionListing.class).generate(taken));
        Set<String> listed = db.read(c -> store.all(c, EntityType.SUBSCRIPTION_ELEMENT,
                ListQuery.of(List.of(Filter.eq("subscription_id", sub.id()))))).stream()
                .map(e -> e.text("s3_path")).collect(Collectors.toSet());
        assertEquals(Set.of("s3://" + bucket + "/" + keys.get(1), "s3://" + bucket + "/" + keys.get(2)), listed,
                "the listing goes on after the last key stored");
        assertEquals("ACTIVE", db.read(c -> store.get(c, EntityType.SUBSCRIPTION, sub.id())).text("state"));
        boolean deadStillHolds = db.tx(c -> generations.progress(c, dead, "t/zzz"));
        assertFalse(deadStillHolds, "the dead worker's lease is gone");
    }

    /** Claims until this test's subscription comes up (other test classes share the database). */
    private SubscriptionGenerations.Lease claimUntil(SubscriptionGenerations generations, String worker, String id) {
        for (int i = 0; i < 100; i++) {
            var lease = db.tx(c -> generations.claim(c, worker, Duration.ofMinutes(1)));
            if (lease.isPresent() && lease.get().subscription().id().equals(id)) {
                return lease.get();
            }
            if (lease.isEmpty()) {
                break;
            }
        }
        throw new AssertionError("subscription " + id + " could not be claimed");
    }
}
