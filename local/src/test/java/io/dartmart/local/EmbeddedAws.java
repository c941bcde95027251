package io.dartmart.local;

import io.dartmart.domain.aws.AwsSettings;
import io.dartmart.domain.testing.Await;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The AWS stand-ins of local mode for end-to-end tests: ElasticMQ with a trigger and a subscription queue, and an
 * S3Proxy over a temporary folder whose uploads are notified to the subscription queue ({@link NotifyingBlobStore}),
 * both on free ports and checking the given credentials.
 */
final class EmbeddedAws implements AutoCloseable {
    final AwsSettings settings;
    final String accessKey;
    final String secretKey;
    final String sqsEndpoint;
    final String s3Endpoint;
    final String triggerQueue;
    final String subscriptionQueue;
    final SqsClient sqs;
    private final SQSRestServer sqsServer;
    private final S3Proxy s3Server;

    EmbeddedAws(String accessKey, String secretKey) throws Exception {
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        settings = new AwsSettings("us-east-1", accessKey, secretKey);
        sqsServer = SQSRestServerBuilder.withPort(0).withInterface("127.0.0.1").start();
        sqsEndpoint = "http://127.0.0.1:" + sqsServer.waitUntilStarted().localAddress().getPort();
        sqs = settings.configure(SqsClient.builder(), sqsEndpoint).build();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        triggerQueue = sqs.createQueue(b -> b.queueName("e2e-trigger-" + suffix)).queueUrl();
        subscriptionQueue = sqs.createQueue(b -> b.queueName("e2e-subscription-" + suffix)).queueUrl();
        s3Server = S3Proxy.builder().blobStore(new NotifyingBlobStore(new FilesystemNio2BlobStore(
                        Files.createTempDirectory("dart-e2e-s3").toString()), sqs, subscriptionQueue))
                .endpoint(URI.create("http://127.0.0.1:0"))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey).build();
        s3Server.start();
        Await.until("S3Proxy started", Duration.ofSeconds(20), () -> "STARTED".equals(s3Server.getState()));
        s3Endpoint = "http://127.0.0.1:" + s3Server.getPort();
    }

    /** A path-style S3 client on the stand-in; the caller closes it. */
    S3Client s3() {
        return settings.configure(S3Client.builder(), s3Endpoint).forcePathStyle(true).build();
    }

    /** The API's properties that point it (and the workers in its context) at these stand-ins. */
    Map<String, Object> serverProperties() {
        Map<String, Object> props = new HashMap<>();
        props.put("dart.aws.sqs-endpoint", sqsEndpoint);
        props.put("dart.aws.s3-endpoint", s3Endpoint);
        props.put("dart.aws.access-key-id", accessKey);
        props.put("dart.aws.secret-access-key", secretKey);
        props.put("dart.queue.trigger-url", triggerQueue);
        props.put("dart.queue.subscription-url", subscriptionQueue);
        return props;
    }

    @Override
    public void close() throws Exception {
        s3Server.stop();
        sqs.close();
        sqsServer.stopAndWait();
    }
}
