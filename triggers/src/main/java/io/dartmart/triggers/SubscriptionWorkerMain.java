package io.dartmart.triggers;

import io.dartmart.domain.execution.ExecutionDuties;
import io.dartmart.domain.process.WorkerProcess;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.Listener;
import io.dartmart.domain.subscription.SubscriptionGenerations;
import io.dartmart.triggers.subscription.SubscriptionBatches;
import io.dartmart.triggers.subscription.SubscriptionListing;
import io.dartmart.triggers.subscription.SubscriptionNotifications;
import io.micronaut.context.ApplicationContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The subscription worker: lists QUEUED subscriptions (woken by LISTEN/NOTIFY, and every interval for listings whose
 * worker died), turns object-created notifications into elements, and fires subscription_batch triggers after each
 * change and every interval. Safe to run in several copies; local mode runs it in the same JVM as everything else.
 */
public final class SubscriptionWorkerMain implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionWorkerMain.class);
    private static final int WAIT_SECONDS = 20;

    private final SubscriptionGenerations generations;
    private final SubscriptionListing listing;
    private final SubscriptionNotifications notifications;
    private final SubscriptionBatches batches;
    private final Db db;
    private final Duration lease;
    private final Duration interval;
    private final String worker;
    private final Semaphore wake = new Semaphore(0);
    private final List<Thread> threads = new ArrayList<>();
    private final Listener listener;
    private volatile boolean running = true;

    public SubscriptionWorkerMain(ApplicationContext context) {
        this.db = context.getBean(Db.class);
        this.generations = context.getBean(SubscriptionGenerations.class);
        this.listing = context.getBean(SubscriptionListing.class);
        this.notifications = context.getBean(SubscriptionNotifications.class);
        this.batches = context.getBean(SubscriptionBatches.class);
        this.lease = context.getProperty("dart.subscription-worker.lease", Duration.class, Duration.ofSeconds(60));
        this.interval = context.getProperty("dart.subscription-worker.interval", Duration.class, Duration.ofSeconds(5));
        int listers = context.getProperty("dart.subscription-worker.listers", Integer.class, 2);
        int consumers = context.getProperty("dart.subscription-worker.consumers", Integer.class, 2);
        this.worker = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
        // the execution core's duties (lost work, due retries) go to whichever worker holds their lock
        context.getBean(ExecutionDuties.class).start();
        for (int i = 0; i < listers; i++) {
            start("dart-subscription-lister-" + i, this::listLoop);
        }
        for (int i = 0; i < consumers; i++) {
            start("dart-subscription-notifications-" + i, this::notificationLoop);
        }
        this.listener = Listener.start(db, "dart-subscription-listener", SubscriptionGenerations.CHANNEL, interval,
                (notes, reconnected) -> {
                    // one waiting permit per lister is enough; more would only make idle listers spin
                    if (wake.availablePermits() < listers) {
                        wake.release(listers - wake.availablePermits());
                    }
                    if (notes.isEmpty()) {
                        batches.evaluateAll();
                    }
                });
    }

    private void start(String name, Runnable loop) {
        Thread t = new Thread(loop, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    private void listLoop() {
        while (running) {
            try {
                var claimed = db.tx(c -> generations.claim(c, worker, lease));
                if (claimed.isPresent()) {
                    if (listing.generate(claimed.get())) {
                        batches.evaluate(claimed.get().subscription().id());
                    }
                    continue;
                }
                wake.tryAcquire(interval.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("subscription listing: {}", e.getMessage());
                    pause();
                }
            }
        }
    }

    private void notificationLoop() {
        while (running) {
            try {
                notifications.receiveOnce(WAIT_SECONDS, grown -> grown.forEach(batches::evaluate));
            } catch (RuntimeException e) {
                if (running) {
                    LOG.warn("subscription queue: {}; retrying in 1 s", e.getMessage());
                    pause();
                }
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        listener.close();
        threads.forEach(Thread::interrupt);
    }

    public static void main(String[] args) throws InterruptedException {
        ApplicationContext context = WorkerProcess.startContext();
        WorkerProcess.closeOnShutdown("subscription worker", new SubscriptionWorkerMain(context), context);
    }
}
