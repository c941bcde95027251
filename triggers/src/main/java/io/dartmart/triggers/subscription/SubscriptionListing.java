package io.dartmart.triggers.subscription;

import io.dartmart.domain.error.DartException;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.domain.subscription.ListingBounds;
import io.dartmart.domain.subscription.SubscriptionElements;
import io.dartmart.domain.subscription.SubscriptionElements.S3File;
import io.dartmart.domain.subscription.SubscriptionGenerations;
import io.dartmart.domain.subscription.SubscriptionGenerations.Lease;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.ArrayList;
import java.util.List;

/**
 * Generation: lists a claimed subscription's files page by page (S3 returns keys in order, so the listing starts at
 * the start prefix and stops at the end prefix instead of reading the whole folder) and stores each page's elements
 * in one statement, in the same transaction as the lease's progress.
 */
@Singleton
public class SubscriptionListing {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionListing.class);
    private static final int PAGE = 1000;

    private final Db db;
    private final EntityStore store;
    private final S3Client s3;
    private final SubscriptionElements elements;
    private final SubscriptionGenerations generations;

    public SubscriptionListing(Db db, EntityStore store, S3Client s3, SubscriptionElements elements,
                               SubscriptionGenerations generations) {
        this.db = db;
        this.store = store;
        this.s3 = s3;
        this.elements = elements;
        this.generations = generations;
    }

    /** Lists the subscription of {@code lease} to the end; answers whether it ended ACTIVE. */
    public boolean generate(Lease lease) {
        String id = lease.subscription().id();
        ListingBounds bounds;
        try {
            Entity dataset = db.read(c -> store.find(c, EntityType.DATASET,
                    lease.subscription().text("dataset_id"))).orElse(null);
            if (dataset == null) {
                return fail(lease, "its dataset '" + lease.subscription().text("dataset_id") + "' no longer exists");
            }
            bounds = ListingBounds.of(dataset, lease.subscription());
        } catch (DartException e) {
            return fail(lease, e.getMessage());
        }
        long added = 0;
        try {
            ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bounds.bucket())
                    .prefix(bounds.listPrefix()).maxKeys(PAGE).startAfter(bounds.startAfter(lease.lastKey()));
            while (true) {
                ListObjectsV2Response page = s3.listObjectsV2(request.build());
                List<S3File> files = new ArrayList<>();
                String lastKey = null;
                boolean done = !Boolean.TRUE.equals(page.isTruncated());
                for (S3Object o : page.contents()) {
                    lastKey = o.key();
                    if (bounds.pastEnd(o.key())) {
                        done = true;
                        break;
                    }
                    if (bounds.includes(o.key())) {
                        files.add(new S3File(bounds.s3Path(o.key()), o.size() == null ? 0 : o.size()));
                    }
                }
                String reached = lastKey;
                Integer stored = db.tx(c -> generations.progress(c, lease, reached) ? elements.insert(c, id, files) : null);
                if (stored == null) {
                    LOG.info("subscription {}: listing stopped, the subscription is no longer this worker's to list", id);
                    return false;
                }
                added += stored;
                if (done) {
                    break;
                }
                request.startAfter(null).continuationToken(page.nextContinuationToken());
            }
        } catch (NoSuchBucketException e) {
            return fail(lease, "the bucket '" + bounds.bucket() + "' does not exist");
        } catch (SdkException e) {
            return fail(lease, "listing s3://" + bounds.bucket() + "/" + bounds.listPrefix() + " failed: " + e.getMessage());
        }
        long total = added;
        boolean ended = db.tx(c -> generations.succeed(c, lease, total));
        LOG.info("subscription {}: listed, {} new element(s)", id, total);
        return ended;
    }

    private boolean fail(Lease lease, String reason) {
        LOG.warn("subscription {}: listing failed: {}", lease.subscription().id(), reason);
        db.tx(c -> generations.fail(c, lease, reason));
        return false;
    }
}
