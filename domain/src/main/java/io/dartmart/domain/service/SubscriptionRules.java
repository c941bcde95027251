package io.dartmart.domain.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.auth.Caller;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.regex.UserRegex;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.subscription.ListingBounds;
import io.dartmart.domain.subscription.SubscriptionGenerations;
import jakarta.inject.Singleton;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;

/**
 * Subscriptions are created on a dataset and start QUEUED, which has the subscription worker list the dataset's
 * files; their prefixes and regex are fixed once made. Clients move them between INACTIVE (no notifications, no
 * batches), ACTIVE (only once listed) and QUEUED (list again: new files are added, known ones kept); GENERATING and
 * FAILED are the worker's. Deleting one deletes its elements.
 */
@Singleton
public class SubscriptionRules implements EntityRules {
    private static final Set<String> CLIENT_STATES = Set.of("INACTIVE", "QUEUED", "ACTIVE");

    private final EntityStore store;
    private final SubscriptionGenerations generations;

    public SubscriptionRules(EntityStore store, SubscriptionGenerations generations) {
        this.store = store;
        this.generations = generations;
    }

    @Override
    public EntityType type() {
        return EntityType.SUBSCRIPTION;
    }

    @Override
    public boolean creatableAtTopLevel() {
        return false;
    }

    @Override
    public Set<String> editableFields() {
        return Set.of("name", "state", "on_failure_email", "on_success_email", "tags");
    }

    @Override
    public void checkBeforeTransaction(ObjectNode data) {
        String regex = data.path("s3_path_regex_filter").asText(null);
        if (regex != null && !regex.isEmpty()) {
            UserRegex.compile(regex, ListingBounds.REGEX_FIELD);
        }
    }

    @Override
    public void beforeCreate(Connection c, ObjectNode data, Caller caller) throws SQLException {
        // the original's clients always post their model's default, INACTIVE, and the original ignores it: a new
        // subscription is listed at once, and a client that wants it paused sets INACTIVE afterwards
        data.put("state", "QUEUED");
        Entity dataset = store.get(c, EntityType.DATASET, data.path("dataset_id").asText());
        ListingBounds.of(dataset.text("location"), data.path("s3_path_start_prefix_inclusive").asText(null),
                data.path("s3_path_end_prefix_exclusive").asText(null), data.path("s3_path_regex_filter").asText(null));
        data.putNull("generated_time");
        data.putNull("error_message");
    }

    @Override
    public void beforeUpdate(Connection c, Entity current, ObjectNode merged, Caller caller) throws SQLException {
        String from = current.text("state");
        String to = merged.path("state").asText(from);
        if (to.equals(from)) {
            return;
        }
        if (!CLIENT_STATES.contains(to)) {
            throw new InvalidInputException("/data/state: " + to + " is set by the subscription worker; clients set "
                    + "INACTIVE, QUEUED or ACTIVE");
        }
        if ("ACTIVE".equals(to) && current.text("generated_time") == null) {
            throw new InvalidInputException("/data/state: subscription '" + current.id() + "' has never been listed;"
                    + " set it QUEUED to list it");
        }
        if ("QUEUED".equals(to)) {
            merged.putNull("error_message");
        }
    }

    @Override
    public void afterValidate(Connection c, String id, Entity current, ObjectNode data, Caller caller)
            throws SQLException {
        if ("QUEUED".equals(data.path("state").asText()) && (current == null || !"QUEUED".equals(current.text("state")))) {
            generations.signal(c, id);
        }
    }

    @Override
    public void beforeDelete(Connection c, Entity subscription) throws SQLException {
        store.deleteWhere(c, EntityType.SUBSCRIPTION_ELEMENT, "subscription_id", subscription.id());
        generations.forget(c, subscription.id());
    }
}
