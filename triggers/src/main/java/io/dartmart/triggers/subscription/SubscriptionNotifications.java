package io.dartmart.triggers.subscription;

import io.dartmart.domain.error.DartException;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.subscription.ListingBounds;
import io.dartmart.domain.subscription.SubscriptionElements;
import io.dartmart.domain.subscription.SubscriptionElements.S3File;
import io.dartmart.triggers.queue.SqsQueue;
import io.dartmart.triggers.queue.SubscriptionQueue;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.model.Message;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Object-created notifications from the subscription queue: each new file becomes an element of every listed
 * (ACTIVE) or listing (GENERATING) subscription whose bounds include it, without listing anything again. Adding an
 * element twice has no effect, so a redelivered message is harmless; a message is deleted once its elements are
 * stored.
 */
@Singleton
public class SubscriptionNotifications {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionNotifications.class);

    private final Db db;
    private final SubscriptionElements elements;
    private final SubscriptionQueue queue;

    public SubscriptionNotifications(Db db, SubscriptionElements elements, SubscriptionQueue queue) {
        this.db = db;
        this.elements = elements;
        this.queue = queue;
    }

    /**
     * One long poll of the queue: stores what the messages tell, hands the subscriptions that gained elements to
     * {@code grown} (batches are evaluated there), and only then deletes the messages, in one call. A message whose
     * handling failed comes back; storing it again adds nothing.
     */
    public void receiveOnce(int waitSeconds, Consumer<Set<String>> grown) {
        List<Message> messages = queue.receive(SqsQueue.BATCH, waitSeconds);
        List<ObjectCreatedEvents.Created> created = new ArrayList<>();
        for (Message m : messages) {
            try {
                created.addAll(ObjectCreatedEvents.parse(m.body()));
            } catch (DartException e) {
                LOG.warn("dropping subscription queue message {}: {}", m.messageId(), e.getMessage());
            }
        }
        if (!created.isEmpty()) {
            grown.accept(store(created));
        }
        queue.deleteAll(messages);
    }

    /** Stores the created files as elements; answers the subscriptions that gained any. */
    public Set<String> store(List<ObjectCreatedEvents.Created> created) {
        return db.tx(c -> {
            Map<String, List<S3File>> bySubscription = new HashMap<>();
            for (Candidate s : candidates(c)) {
                for (ObjectCreatedEvents.Created file : created) {
                    if (s.bounds().bucket().equals(file.bucket()) && s.bounds().includes(file.key())) {
                        bySubscription.computeIfAbsent(s.id(), k -> new ArrayList<>())
                                .add(new S3File(file.s3Path(), file.size()));
                    }
                }
            }
            Set<String> grown = new LinkedHashSet<>();
            for (var e : bySubscription.entrySet()) {
                if (elements.insert(c, e.getKey(), e.getValue()) > 0) {
                    grown.add(e.getKey());
                }
            }
            return grown;
        });
    }

    private record Candidate(String id, ListingBounds bounds) {
    }

    private List<Candidate> candidates(Connection c) throws SQLException {
        List<Candidate> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT s.id, d.data ->> 'location',"
                + " s.data ->> 's3_path_start_prefix_inclusive', s.data ->> 's3_path_end_prefix_exclusive',"
                + " s.data ->> 's3_path_regex_filter' FROM subscription s JOIN dataset d ON d.id = s.dataset_id"
                + " WHERE s.state IN ('ACTIVE', 'GENERATING')")) {
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    try {
                        out.add(new Candidate(rs.getString(1), ListingBounds.of(rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getString(5))));
                    } catch (DartException e) {
                        LOG.debug("subscription {} has unusable bounds: {}", rs.getString(1), e.getMessage());
                    }
                }
            }
        }
        return out;
    }
}
