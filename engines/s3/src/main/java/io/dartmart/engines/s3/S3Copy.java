package io.dartmart.engines.s3;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;

/**
 * The {@code copy} action: server-side copies (CopyObject; UploadPartCopy in parts for objects over CopyObject's
 * 5 GiB limit), paging through ListObjectsV2. An object whose destination already has the same size and ETag (the
 * same size when either ETag is a multipart one, which differs between copies of the same bytes) is skipped, so a
 * run repeated after a failure or by mistake copies only what is missing.
 *
 * <p>A copy that finds nothing to copy fails: a copy step whose source is empty is almost always a sign that the
 * data it waits for has not arrived, and a silent success would hide that from the steps after it.
 */
final class S3Copy {
    /** CopyObject's limit: larger objects need a multipart copy. */
    static final long MAX_SINGLE_COPY = 5L * 1024 * 1024 * 1024;
    private static final long PART_SIZE = 512L * 1024 * 1024;
    private static final int MAX_PARTS = 10_000;
    private static final long PROGRESS_INTERVAL_NANOS = Duration.ofSeconds(5).toNanos();

    /** Where progress goes, as a fraction from 0 to 1 (the SDK's {@code ActionContext.progress}). */
    @FunctionalInterface
    interface Progress {
        void report(double fraction) throws IOException, InterruptedException;
    }

    private final S3Client s3;
    private final long multipartThreshold;
    private final long partSize;

    S3Copy(S3Client s3) {
        this(s3, MAX_SINGLE_COPY, PART_SIZE);
    }

    /** With another size above which objects are copied in parts of {@code partSize}, so tests can reach that path. */
    S3Copy(S3Client s3, long multipartThreshold, long partSize) {
        this.s3 = s3;
        this.multipartThreshold = multipartThreshold;
        this.partSize = partSize;
    }

    /**
     * Runs the copy.
     *
     * @param stopped checked before each object: when true the copy gives up with a {@link CancellationException}
     * @throws IllegalArgumentException when the paths cannot work together
     * @throws IllegalStateException when there is nothing to copy or S3 refused a call (the message says which)
     */
    CopyReport run(CopyArgs args, Progress progress, BooleanSupplier stopped) throws IOException, InterruptedException {
        return args.recursive() ? copyFolder(args, progress, stopped) : copyObject(args);
    }

    private CopyReport copyObject(CopyArgs args) {
        S3Path source = args.from();
        if (source.key().isEmpty() || source.isFolder()) {
            throw new IllegalArgumentException("from_path must name one object when recursive is false, got " + source);
        }
        HeadObjectResponse head;
        try {
            head = head(source);
        } catch (SdkException e) {
            throw S3Failure.of("reading " + source, e);
        }
        if (head == null) {
            throw new IllegalStateException("nothing to copy: " + source + " does not exist");
        }
        S3Path target = args.to().key().isEmpty() || args.to().isFolder()
                ? args.to().asFolder().resolve(source.fileName()) : args.to();
        boolean copied = copyOne(source, head.contentLength(), head.eTag(), target);
        return new CopyReport(copied ? 1 : 0, copied ? head.contentLength() : 0, copied ? 0 : 1);
    }

    private CopyReport copyFolder(CopyArgs args, Progress progress, BooleanSupplier stopped)
            throws IOException, InterruptedException {
        S3Path from = args.from().asFolder();
        S3Path to = args.to().asFolder();
        if (from.bucket().equals(to.bucket()) && !from.key().equals(to.key()) && to.key().startsWith(from.key())) {
            throw new IllegalArgumentException("to_path " + to + " lies inside from_path " + from
                    + ": the copy would copy its own copies");
        }
        long total = 0;
        long totalBytes = 0;
        try {
            for (S3Object o : list(from)) {
                if (selected(args, from, o)) {
                    total++;
                    totalBytes += o.size();
                }
            }
        } catch (SdkException e) {
            throw S3Failure.of("listing " + from, e);
        }
        if (total == 0) {
            throw new IllegalStateException("nothing to copy: no object under " + from
                    + (args.regexFilter() == null ? "" : " matches regex_filter " + args.regexFilter().pattern()));
        }
        long copied = 0;
        long skipped = 0;
        long bytesCopied = 0;
        long bytesDone = 0;
        long lastReport = System.nanoTime();
        try {
            for (S3Object o : list(from)) {
                if (!selected(args, from, o)) {
                    continue;
                }
                if (stopped.getAsBoolean()) {
                    throw new CancellationException("stopped after copying " + copied + " and skipping " + skipped
                            + " of " + total + " objects");
                }
                S3Path source = new S3Path(from.bucket(), o.key());
                if (copyOne(source, o.size(), o.eTag(), to.resolve(relative(from, o)))) {
                    copied++;
                    bytesCopied += o.size();
                } else {
                    skipped++;
                }
                bytesDone += o.size();
                if (System.nanoTime() - lastReport >= PROGRESS_INTERVAL_NANOS) {
                    double done = totalBytes > 0 ? (double) bytesDone / totalBytes : (double) (copied + skipped) / total;
                    progress.report(Math.min(1.0, done));
                    lastReport = System.nanoTime();
                }
            }
        } catch (SdkException e) {
            throw S3Failure.of("listing " + from, e);
        }
        return new CopyReport(copied, bytesCopied, skipped);
    }

    private static boolean selected(CopyArgs args, S3Path from, S3Object o) {
        String relative = relative(from, o);
        // the folder's own marker object ("prefix/") has no name of its own below the folder
        return !relative.isEmpty() && args.selects(relative);
    }

    private static String relative(S3Path from, S3Object o) {
        return o.key().substring(from.key().length());
    }

    private Iterable<S3Object> list(S3Path prefix) {
        return s3.listObjectsV2Paginator(b -> b.bucket(prefix.bucket()).prefix(prefix.key())).contents();
    }

    /** Copies unless the target already holds the object; answers whether it copied. */
    private boolean copyOne(S3Path source, long size, String eTag, S3Path target) {
        try {
            HeadObjectResponse existing = head(target);
            if (existing != null && sameObject(size, eTag, existing)) {
                return false;
            }
            if (size > multipartThreshold) {
                copyInParts(source, size, target);
            } else {
                s3.copyObject(b -> b.sourceBucket(source.bucket()).sourceKey(source.key())
                        .destinationBucket(target.bucket()).destinationKey(target.key()));
            }
            return true;
        } catch (SdkException e) {
            throw S3Failure.of("copying " + source + " to " + target, e);
        }
    }

    private static boolean sameObject(long size, String eTag, HeadObjectResponse existing) {
        if (existing.contentLength() == null || existing.contentLength() != size) {
            return false;
        }
        String a = unquoted(eTag);
        String b = unquoted(existing.eTag());
        return isMultipart(a) || isMultipart(b) || a.equals(b);
    }

    private static String unquoted(String eTag) {
        return eTag == null ? "" : eTag.replace("\"", "");
    }

    /** A multipart upload's ETag is {@code <md5 of the parts' md5s>-<parts>}, not the MD5 of the bytes. */
    private static boolean isMultipart(String eTag) {
        return eTag.contains("-");
    }

    private void copyInParts(S3Path source, long size, S3Path target) {
        HeadObjectResponse meta = s3.headObject(b -> b.bucket(source.bucket()).key(source.key()));
        String uploadId = s3.createMultipartUpload(b -> b.bucket(target.bucket()).key(target.key())
                .contentType(meta.contentType()).metadata(meta.metadata())).uploadId();
        long part = Math.max(partSize, (size + MAX_PARTS - 1) / MAX_PARTS);
        List<CompletedPart> parts = new ArrayList<>();
        try {
            for (long start = 0; start < size; start += part) {
                int number = parts.size() + 1;
                String range = "bytes=" + start + "-" + (Math.min(size, start + part) - 1);
                String partETag = s3.uploadPartCopy(b -> b.sourceBucket(source.bucket()).sourceKey(source.key())
                        .destinationBucket(target.bucket()).destinationKey(target.key()).uploadId(uploadId)
                        .partNumber(number).copySourceRange(range)).copyPartResult().eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(partETag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(target.bucket()).key(target.key()).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts)));
        } catch (SdkException e) {
            abort(target, uploadId, e);
            throw e;
        }
    }

    /** Leaves no half-copied upload behind (it would be billed); a failed abort is kept with the first failure. */
    private void abort(S3Path target, String uploadId, SdkException cause) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(target.bucket()).key(target.key()).uploadId(uploadId));
        } catch (SdkException e) {
            cause.addSuppressed(e);
        }
    }

    /** The object's metadata, or null when there is no object there. */
    private HeadObjectResponse head(S3Path path) {
        try {
            return s3.headObject(b -> b.bucket(path.bucket()).key(path.key()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }
}
