package io.dartmart.triggers.notify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.execution.Calls;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.model.EntityType;
import io.dartmart.domain.model.Json;
import io.dartmart.domain.store.Db;
import io.dartmart.domain.store.EntityStore;
import io.dartmart.triggers.worker.CallHandler;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * {@code RUN_ENDED}: when the run was started with a {@code callback_url}, POSTs its outcome there as JSON
 * {@code {workflow_instance_id, workflow_id, state, error_message, start_time, end_time, parameters}}.
 *
 * <p>Delivery runs on a background scheduler with non-blocking HTTP, so the worker thread only reads the
 * instance. A 2xx answer ends it. A 5xx, 408, 429 or a network error is retried with exponential backoff
 * ({@code dart.callbacks.initial-delay}, doubling, at most {@link #MAX_DELAY}; a longer {@code Retry-After} is
 * honoured up to the same cap) until {@code dart.callbacks.max-attempts} attempts were made. Any other answer
 * (another 4xx, a redirect) is final. Every request carries the same {@code X-Dart-Message-Id}, so a receiver can
 * tell a retry from a second run. A failing callback is logged and never fails anything.
 */
@Singleton
public class RunCallback implements CallHandler {
    static final Duration MAX_DELAY = Duration.ofSeconds(60);
    private static final Logger LOG = LoggerFactory.getLogger(RunCallback.class);

    private final Db db;
    private final EntityStore store;
    private final int maxAttempts;
    private final Duration initialDelay;
    private final Duration timeout;
    private final HttpClient http;
    private final ScheduledThreadPoolExecutor scheduler;
    private final Object idle = new Object();
    private int inFlight;

    @Inject
    public RunCallback(Db db, EntityStore store,
                       @Value("${dart.callbacks.max-attempts:5}") int maxAttempts,
                       @Value("${dart.callbacks.initial-delay:1s}") Duration initialDelay,
                       @Value("${dart.callbacks.timeout:10s}") Duration timeout) {
        this.db = db;
        this.store = store;
        this.maxAttempts = Math.max(1, maxAttempts);
        this.initialDelay = initialDelay == null || initialDelay.isNegative() ? Duration.ofSeconds(1) : initialDelay;
        this.timeout = timeout == null || timeout.isNegative() || timeout.isZero() ? Duration.ofSeconds(10) : timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(this.timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "dart-run-callbacks");
            t.setDaemon(true);
            return t;
        });
        this.scheduler.setRemoveOnCancelPolicy(true);
    }

    @Override
    public String call() {
        return Calls.RUN_ENDED;
    }

    @Override
    public void afterCommit(JsonNode message) {
        String messageId = MailText.field(message, "message_id");
        try {
            Optional<Delivery> delivery = db.read(c -> {
                String instanceId = MailText.field(message, "workflow_instance_id");
                if (instanceId == null) {
                    LOG.warn("RUN_ENDED message {} has no workflow_instance_id; no callback", messageId);
                    return Optional.empty();
                }
                Entity instance = store.find(c, EntityType.WORKFLOW_INSTANCE, instanceId).orElse(null);
                if (instance == null) {
                    LOG.info("RUN_ENDED message {}: workflow_instance '{}' no longer exists; no callback", messageId,
                            instanceId);
                    return Optional.empty();
                }
                return delivery(messageId, message, instance);
            });
            delivery.ifPresent(d -> schedule(d, Duration.ZERO));
        } catch (RuntimeException e) {
            LOG.warn("RUN_ENDED message {}: no callback: {}", messageId, e.toString());
        }
    }

    private Optional<Delivery> delivery(String messageId, JsonNode message, Entity instance) {
        String url = instance.text("callback_url");
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            LOG.warn("workflow_instance '{}': callback_url is not a URL; no callback", instance.id());
            return Optional.empty();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!List.of("http", "https").contains(scheme) || uri.getHost() == null) {
            LOG.warn("workflow_instance '{}': callback_url {} is not an http(s) URL; no callback", instance.id(),
                    redact(uri));
            return Optional.empty();
        }
        String state = MailText.field(message, "state");
        ObjectNode body = Json.object();
        body.put("workflow_instance_id", instance.id());
        body.put("workflow_id", instance.text("workflow_id"));
        body.put("state", state != null ? state : instance.text("state"));
        body.put("error_message", instance.text("error_message"));
        body.put("start_time", instance.text("start_time"));
        body.put("end_time", instance.text("end_time"));
        JsonNode parameters = instance.data().get("parameters");
        body.set("parameters", parameters == null ? NullNode.getInstance() : parameters);
        return Optional.of(new Delivery(messageId, instance.id(), uri, Json.write(body)));
    }

    /** One callback to deliver: the same body at every attempt. */
    private record Delivery(String messageId, String instanceId, URI uri, String body) {
    }

    private void schedule(Delivery d, Duration delay) {
        schedule(d, 1, delay);
    }

    private void schedule(Delivery d, int attempt, Duration delay) {
        synchronized (idle) {
            inFlight++;
        }
        try {
            scheduler.schedule(() -> attempt(d, attempt), delay.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.warn("callback of workflow_instance '{}' to {} dropped at attempt {}: shutting down", d.instanceId(),
                    redact(d.uri()), attempt);
            done();
        }
    }

    private void attempt(Delivery d, int attempt) {
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(d.uri())
                    .timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "dart")
                    .header("X-Dart-Attempt", Integer.toString(attempt))
                    .POST(HttpRequest.BodyPublishers.ofString(d.body(), StandardCharsets.UTF_8));
            if (d.messageId() != null) {
                builder.header("X-Dart-Message-Id", d.messageId());
            }
            HttpRequest request = builder.build();
            http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .whenComplete((response, error) -> {
                        try {
                            outcome(d, attempt, response, error);
                        } catch (RuntimeException e) {
                            LOG.warn("callback of workflow_instance '{}': {}", d.instanceId(), e.toString());
                        } finally {
                            done();
                        }
                    });
        } catch (RuntimeException e) {
            LOG.warn("callback of workflow_instance '{}' to {} failed at attempt {}: {}", d.instanceId(),
                    redact(d.uri()), attempt, e.toString());
            done();
        }
    }

    private void outcome(Delivery d, int attempt, HttpResponse<Void> response, Throwable error) {
        String failure;
        Duration retryAfter = Duration.ZERO;
        if (error == null) {
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                LOG.debug("callback of workflow_instance '{}' delivered at attempt {} ({})", d.instanceId(), attempt,
                        status);
                return;
            }
            if (!retryable(status)) {
                LOG.warn("callback of workflow_instance '{}' to {} refused with HTTP {} at attempt {}; not retried",
                        d.instanceId(), redact(d.uri()), status, attempt);
                return;
            }
            failure = "HTTP " + status;
            retryAfter = retryAfter(response);
        } else {
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            failure = cause.toString();
        }
        if (attempt >= maxAttempts) {
            LOG.warn("callback of workflow_instance '{}' to {} given up after {} attempt(s); last: {}",
                    d.instanceId(), redact(d.uri()), attempt, failure);
            return;
        }
        Duration delay = delayBefore(attempt + 1);
        if (retryAfter.compareTo(delay) > 0) {
            delay = retryAfter.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : retryAfter;
        }
        LOG.info("callback of workflow_instance '{}' to {} failed at attempt {} of {} ({}); retry in {} ms",
                d.instanceId(), redact(d.uri()), attempt, maxAttempts, failure, delay.toMillis());
        schedule(d, attempt + 1, delay);
    }

    /** 5xx, 408 and 429 are worth another try; other answers stay the same. */
    static boolean retryable(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    /** The wait before attempt {@code n} (from 2): the initial delay doubled n-2 times, at most {@link #MAX_DELAY}. */
    Duration delayBefore(int n) {
        Duration d = initialDelay;
        for (int i = 2; i < n && d.compareTo(MAX_DELAY) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(MAX_DELAY) > 0 ? MAX_DELAY : d;
    }

    private static Duration retryAfter(HttpResponse<?> response) {
        Optional<String> value = response.headers().firstValue("Retry-After");
        if (value.isPresent()) {
            try {
                long seconds = Long.parseLong(value.get().trim());
                return seconds > 0 ? Duration.ofSeconds(Math.min(seconds, MAX_DELAY.toSeconds())) : Duration.ZERO;
            } catch (NumberFormatException ignored) {
                // an HTTP date: the backoff applies
            }
        }
        return Duration.ZERO;
    }

    /** The URL without user info or query, which may hold credentials. */
    static String redact(URI uri) {
        StringBuilder sb = new StringBuilder();
        sb.append(uri.getScheme()).append("://").append(uri.getHost());
        if (uri.getPort() >= 0) {
            sb.append(':').append(uri.getPort());
        }
        if (uri.getRawPath() != null) {
            sb.append(uri.getRawPath());
        }
        return sb.toString();
    }

    private void done() {
        synchronized (idle) {
            inFlight--;
            idle.notifyAll();
        }
    }

    /**
     * Waits until no callback is waiting or being delivered; answers whether that happened within
     * {@code timeout}. For tests and an orderly shutdown.
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (inFlight > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
            return true;
        }
    }

    @PreDestroy
    public void close() {
        List<Runnable> pending = scheduler.shutdownNow();
        if (!pending.isEmpty()) {
            LOG.warn("{} run callback(s) waiting for a retry were dropped at shutdown", pending.size());
        }
        synchronized (idle) {
            inFlight -= pending.size();
            idle.notifyAll();
        }
    }
}
