package io.dartmart.triggers.queue;

import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.CreateQueueRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.DeleteMessageRequest;
import software.amazon.awssdk.services.sqs.model.GetQueueUrlRequest;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.QueueDoesNotExistException;
import software.amazon.awssdk.services.sqs.model.ReceiveMessageRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequest;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A queue on SQS, configured by URL, or by name, which local mode creates when missing
 * ({@code dart.queue.create-missing}).
 */
public abstract class SqsQueue {
    /** SendMessageBatch takes at most ten entries. */
    public static final int BATCH = 10;

    private final SqsClient sqs;
    private final String configuredUrl;
    private final String name;
    private final boolean createMissing;
    private final String urlVariable;
    private volatile String url;

    protected SqsQueue(SqsClient sqs, String configuredUrl, String name, boolean createMissing, String urlVariable) {
        this.urlVariable = urlVariable;
        this.sqs = sqs;
        this.configuredUrl = configuredUrl;
        this.name = name;
        this.createMissing = createMissing;
    }

    public String url() {
        String u = url;
        if (u == null) {
            u = configuredUrl.isBlank() ? resolve() : configuredUrl;
            url = u;
        }
        return u;
    }

    private String resolve() {
        try {
            return sqs.getQueueUrl(GetQueueUrlRequest.builder().queueName(name).build()).queueUrl();
        } catch (QueueDoesNotExistException e) {
            if (!createMissing) {
                throw new IllegalStateException("the SQS queue '" + name + "' does not exist; create it or set "
                        + urlVariable, e);
            }
            return sqs.createQueue(CreateQueueRequest.builder().queueName(name)
                    .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30")).build()).queueUrl();
        }
    }

    /** Sends up to {@link #BATCH} bodies in one call; the entry ids are the message ids. */
    public void sendBatch(Map<String, String> bodiesById) {
        var entries = bodiesById.entrySet().stream()
                .map(e -> SendMessageBatchRequestEntry.builder().id(e.getKey()).messageBody(e.getValue()).build())
                .toList();
        var result = sqs.sendMessageBatch(SendMessageBatchRequest.builder().queueUrl(url()).entries(entries).build());
        if (!result.failed().isEmpty()) {
            throw new IllegalStateException("SQS refused " + result.failed().size() + " message(s): "
                    + result.failed().get(0).message());
        }
    }

    /** A long poll: answers as soon as a message is there, or empty after {@code waitSeconds}. */
    public List<Message> receive(int max, int waitSeconds) {
        return sqs.receiveMessage(ReceiveMessageRequest.builder().queueUrl(url()).maxNumberOfMessages(max)
                .waitTimeSeconds(waitSeconds).build()).messages();
    }

    public void delete(Message message) {
        sqs.deleteMessage(DeleteMessageRequest.builder().queueUrl(url()).receiptHandle(message.receiptHandle()).build());
    }

    /** Deletes up to {@link #BATCH} received messages in one call; one that fails to go is delivered again. */
    public void deleteAll(List<Message> messages) {
        if (messages.isEmpty()) {
            return;
        }
        List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
            entries.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                    .receiptHandle(messages.get(i).receiptHandle()).build());
        }
        sqs.deleteMessageBatch(DeleteMessageBatchRequest.builder().queueUrl(url()).entries(entries).build());
    }
}
