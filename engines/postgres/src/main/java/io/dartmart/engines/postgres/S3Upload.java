package io.dartmart.engines.postgres;

import io.dartmart.engines.s3.S3Failure;
import io.dartmart.engines.s3.S3Path;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An S3 object written as a stream: a multipart upload in parts of {@code partSize} (one plain PUT when the whole is
 * smaller), completed by {@link #finish()}; {@link #close()} without it aborts, so a failed writer leaves no object.
 * Holds one part in memory.
 */
final class S3Upload extends OutputStream {
    /** S3's smallest part but the last. */
    static final int MIN_PART = 5 * 1024 * 1024;

    private final S3Client s3;
    private final S3Path path;
    private final byte[] part;
    private final List<CompletedPart> parts = new ArrayList<>();
    private int filled;
    private String uploadId;
    private long size;
    private boolean finished;

    S3Upload(S3Client s3, S3Path path, int partSize) {
        if (partSize < MIN_PART) {
            throw new IllegalArgumentException("parts must be at least " + MIN_PART + " bytes, got " + partSize);
        }
        this.s3 = s3;
        this.path = path;
        this.part = new byte[partSize];
    }

    @Override
    public void write(int b) throws IOException {
        if (filled == part.length) {
            sendPart();
        }
        part[filled++] = (byte) b;
        size++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            if (filled == part.length) {
                sendPart();
            }
            int n = Math.min(len, part.length - filled);
            System.arraycopy(b, off, part, filled, n);
            filled += n;
            off += n;
            len -= n;
            size += n;
        }
    }

    /** Writes what is left and makes the object; answers its size in bytes. */
    long finish() throws IOException {
        try {
            if (uploadId == null) {
                s3.putObject(b -> b.bucket(path.bucket()).key(path.key()), RequestBody.fromBytes(
                        Arrays.copyOf(part, filled)));
            } else {
                sendPart();
                s3.completeMultipartUpload(b -> b.bucket(path.bucket()).key(path.key()).uploadId(uploadId)
                        .multipartUpload(m -> m.parts(parts)));
            }
        } catch (SdkException e) {
            throw new IOException(S3Failure.of("writing " + path, e).getMessage(), e);
        }
        finished = true;
        return size;
    }

    private void sendPart() throws IOException {
        try {
            if (uploadId == null) {
                uploadId = s3.createMultipartUpload(b -> b.bucket(path.bucket()).key(path.key())).uploadId();
            }
            int number = parts.size() + 1;
            String etag = s3.uploadPart(b -> b.bucket(path.bucket()).key(path.key()).uploadId(uploadId)
                    .partNumber(number), RequestBody.fromBytes(Arrays.copyOf(part, filled))).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            filled = 0;
        } catch (SdkException e) {
            throw new IOException(S3Failure.of("writing part " + (parts.size() + 1) + " of " + path, e).getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!finished && uploadId != null) {
            try {
                s3.abortMultipartUpload(b -> b.bucket(path.bucket()).key(path.key()).uploadId(uploadId));
            } catch (SdkException ignored) {
                // the upload failed already, which is what gets reported; S3's lifecycle rules clean up leftovers
            }
        }
        finished = true;
    }
}
