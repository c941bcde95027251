package io.dartmart.local;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dartmart.domain.model.Json;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The local S3 server's store, which does what an S3 bucket notification to SQS does in AWS: every object created
 * (put, copied, or assembled from a multipart upload) sends the S3 event notification JSON to the subscription
 * queue. So files uploaded locally reach subscriptions the way they do in production. A failed send is reported, and
 * never fails the upload.
 */
public final class NotifyingBlobStore extends ForwardingBlobStore {
    private final SqsClient sqs;
    private final String queueUrl;

    public NotifyingBlobStore(BlobStore delegate, SqsClient sqs, String queueUrl) {
        super(delegate);
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
        PutObjectResponse response = super.putBlob(request, input);
        created("ObjectCreated:Put", request.bucket(), request.key());
        return response;
    }

    @Override
    public CopyObjectResponse copyBlob(CopyObjectRequest request) {
        CopyObjectResponse response = super.copyBlob(request);
        created("ObjectCreated:Copy", request.destinationBucket(), request.destinationKey());
        return response;
    }

    @Override
    public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
                                                                   CompleteMultipartUploadRequest request) {
        CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
        created("ObjectCreated:CompleteMultipartUpload", request.bucket(), request.key());
        return response;
    }

    private void created(String event, String bucket, String key) {
        try {
            long size = delegate().blobMetadata(bucket, key).contentLength();
            ObjectNode root = Json.object();
            ObjectNode record = root.putArray("Records").addObject();
            record.put("eventVersion", "2.1").put("eventSource", "aws:s3").put("awsRegion", "us-east-1")
                    .put("eventTime", Instant.now().toString()).put("eventName", event);
            ObjectNode s3 = record.putObject("s3");
            s3.put("s3SchemaVersion", "1.0");
            s3.putObject("bucket").put("name", bucket).put("arn", "arn:aws:s3:::" + bucket);
            // S3 sends keys form-encoded, as here
            s3.putObject("object").put("key", URLEncoder.encode(key, StandardCharsets.UTF_8)).put("size", size);
            sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(Json.write(root)));
        } catch (RuntimeException e) {
            System.err.println("dart: no notification for s3://" + bucket + "/" + key + ": " + e.getMessage());
        }
    }
}
