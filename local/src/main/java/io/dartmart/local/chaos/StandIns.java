package io.dartmart.local.chaos;

import io.dartmart.domain.aws.AwsSettings;
import io.dartmart.domain.model.Ids;
import io.dartmart.local.LocalDatabase;
import io.dartmart.local.LocalMain;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.gaul.s3proxy.S3Proxy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the harness runs in its own JVM and never kills: local mode's embedded PostgreSQL (restartable on the same
 * port, so every process's URL stays right), ElasticMQ and S3Proxy with its upload notifications.
 */
final class StandIns implements AutoCloseable {
    private final Path dir;
    private final int dbPort = freePort();
    private final String dbPassword = Ids.newToken(32);
    private LocalDatabase database;
    private final SQSRestServer sqsServer;
    private final SqsClient sqs;
    private final S3Proxy s3Server;
    private final S3Client s3;
    private final String sqsEndpoint;
    private final String s3Endpoint;
    private final String triggerQueue;
    private final String subscriptionQueue;

    StandIns(Path dir) throws Exception {
        this.dir = dir;
        this.database = new LocalDatabase(dir, dbPassword, dbPort).start();
        // a harness stopped by Ctrl-C or SIGTERM leaves no database behind
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                LocalDatabase.stopPostmaster(dir.resolve("postgres"));
            } catch (IOException e) {
                System.err.println("chaos: the database did not stop: " + e.getMessage());
            }
        }, "chaos-database-shutdown"));
        sqsServer = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
        sqsEndpoint = "http://127.0.0.1:" + sqsServer.waitUntilStarted().localAddress().getPort();
        AwsSettings aws = new AwsSettings("us-east-1", LocalMain.LOCAL_ACCESS_KEY, LocalMain.LOCAL_SECRET_KEY);
        sqs = aws.configure(SqsClient.builder(), sqsEndpoint).build();
        triggerQueue = sqs.createQueue(b -> b.queueName("chaos-trigger")).queueUrl();
        subscriptionQueue = sqs.createQueue(b -> b.queueName("chaos-subscription")).queueUrl();
        s3Server = LocalMain.startS3(dir.resolve("s3"), sqs, subscriptionQueue);
        s3Endpoint = "http://127.0.0.1:" + s3Server.getPort();
        s3 = aws.configure(S3Client.builder(), s3Endpoint).forcePathStyle(true).build();
    }

    /**
     * Stops PostgreSQL and starts it again on the same port and data. A fast shutdown cuts every session and writes a
     * checkpoint; a crash (SIGQUIT to the postmaster: an immediate shutdown) writes nothing more, so the next start
     * recovers from the write-ahead log as after a power cut.
     */
    synchronized void restartDatabase(boolean crash) throws IOException, InterruptedException {
        if (crash) {
            var postmaster = LocalDatabase.postmaster(dir.resolve("postgres"));
            if (postmaster.isPresent()) {
                new ProcessBuilder("kill", "-QUIT", Long.toString(postmaster.get().pid())).inheritIO().start()
                        .waitFor();
                postmaster.get().onExit().join();
            }
        }
        database.close();
        database = new LocalDatabase(dir, dbPassword, dbPort).start();
    }

    synchronized String jdbcUrl() {
        return database.jdbcUrl();
    }

    /** A connection of the harness's own, to look at what the platform did. */
    Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", dbPassword);
    }

    /** Messages in either queue, visible or taken by a consumer that has not deleted them (perhaps a dead one). */
    long queuedMessages() {
        long n = 0;
        for (String queue : List.of(triggerQueue, subscriptionQueue)) {
            var attributes = sqs.getQueueAttributes(b -> b.queueUrl(queue).attributeNames(
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                    QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
            n += attributes.values().stream().mapToLong(Long::parseLong).sum();
        }
        return n;
    }

    S3Client s3() {
        return s3;
    }

    /** The settings every dart process gets, as system properties. */
    Map<String, String> dartProperties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("datasources.default.url", jdbcUrl());
        p.put("datasources.default.username", "postgres");
        p.put("datasources.default.password", dbPassword);
        p.put("dart.aws.sqs-endpoint", sqsEndpoint);
        p.put("dart.aws.s3-endpoint", s3Endpoint);
        p.put("dart.aws.access-key-id", LocalMain.LOCAL_ACCESS_KEY);
        p.put("dart.aws.secret-access-key", LocalMain.LOCAL_SECRET_KEY);
        p.put("dart.queue.trigger-url", triggerQueue);
        p.put("dart.queue.subscription-url", subscriptionQueue);
        p.put("dart.s3.datastores-root", "s3://" + LocalMain.LOCAL_BUCKET + "/datastores");
        return p;
    }

    @Override
    public void close() throws Exception {
        s3.close();
        s3Server.stop();
        sqs.close();
        sqsServer.stopAndWait();
        database.close();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
