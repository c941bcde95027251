package io.dartmart.domain.dataset;

import io.dartmart.domain.aws.S3Path;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.error.NotFoundException;
import io.dartmart.domain.error.UnavailableException;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads the first bytes of an S3 object with one ranged GET, so that sampling a huge object costs no more than
 * sampling a small one; maps what S3 answers to dart's errors.
 */
@Singleton
public class SampleReader {
    /** The most raw bytes read from one object: plenty for 10,000 ordinary lines, compressed or not. */
    public static final long MAX_BYTES = 8L << 20;

    /** What a caller does with a sample; reading it may fail with an I/O error. */
    @FunctionalInterface
    public interface SampleUse<T> {
        T apply(Sample sample) throws IOException;
    }

    private final Provider<S3Client> s3;

    public SampleReader(Provider<S3Client> s3) {
        this.s3 = s3;
    }

    public <T> T read(S3Path path, SampleUse<T> use) {
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = s3.get().getObject(b -> b.bucket(path.bucket()).key(path.key()).range("bytes=0-" + (MAX_BYTES - 1)));
        } catch (S3Exception e) {
            if (e.statusCode() == 416) {
                // S3's answer to a range over an empty object
                return apply(use, new Sample(InputStream.nullInputStream(), true), path);
            }
            throw refused(path, e);
        } catch (SdkException e) {
            throw new UnavailableException("S3 cannot be reached to read " + path + ": " + e.getMessage(), e);
        }
        try {
            long total = totalSize(in.response());
            // a server that ignores the range sends everything: never read more than was asked for
            InputStream bounded = new BoundedInputStream(in, MAX_BYTES);
            return apply(use, new Sample(bounded, total >= 0 && total <= MAX_BYTES), path);
        } finally {
            // the rest of the range is not wanted: dropping the connection spares draining it
            in.abort();
        }
    }

    private static <T> T apply(SampleUse<T> use, Sample sample, S3Path path) {
        try {
            return use.apply(sample);
        } catch (IOException | SdkException e) {
            throw new UnavailableException("reading " + path + " from S3 failed: " + e.getMessage(), e);
        }
    }

    private static RuntimeException refused(S3Path path, S3Exception e) {
        if (e instanceof NoSuchBucketException) {
            return new NotFoundException("s3_path: " + path + ": the bucket '" + path.bucket() + "' does not exist");
        }
        if (e instanceof NoSuchKeyException || e.statusCode() == 404) {
            return new NotFoundException("s3_path: " + path + ": no such object");
        }
        if (e.statusCode() == 403) {
            // S3 also answers 403 for a missing key when the reader may not list the bucket
            return new NotFoundException("s3_path: " + path + ": not found, or dart's credentials may not read it "
                    + "(S3 answered 403 Access Denied)");
        }
        if (e.statusCode() >= 500) {
            return new UnavailableException("S3 failed to read " + path + " (HTTP " + e.statusCode() + "): "
                    + e.getMessage(), e);
        }
        return new InvalidInputException("s3_path: S3 refused to read " + path + " (HTTP " + e.statusCode() + "): "
                + e.getMessage());
    }

    /** The object's size from {@code Content-Range: bytes 0-99/1234}, or the body's length; -1 when unknown. */
    private static long totalSize(GetObjectResponse response) {
        String range = response.contentRange();
        if (range != null) {
            int slash = range.lastIndexOf('/');
            String total = slash < 0 ? "*" : range.substring(slash + 1).strip();
            return total.equals("*") ? -1 : Long.parseLong(total);
        }
        return response.contentLength() == null ? -1 : response.contentLength();
    }

    /** Ends after {@code limit} bytes. */
    private static final class BoundedInputStream extends InputStream {
        private final InputStream in;
        private long left;

        BoundedInputStream(InputStream in, long limit) {
            this.in = in;
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(buf, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
