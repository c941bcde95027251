package io.dartmart.engines.s3;

import com.google.re2j.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.time.Instant;

/**
 * The {@code data_check} action: passes when at least one object under the prefix matches the regex (its whole
 * {@code s3://bucket/key} path) and has at least the minimum size; the date placeholders of prefix and regex are
 * filled with the time of the check plus the offset.
 */
final class DataCheck {
    /** The object that passed the check, and how many objects were looked at to find it. */
    record Found(S3Path path, long size, long lookedAt) {
    }

    private DataCheck() {
    }

    /**
     * @throws IllegalStateException when no object passes (saying what was looked for and what was found), or S3
     *                               refused the listing
     */
    static Found run(S3Client s3, DataCheckArgs args, Instant now) {
        Instant at = now.plusSeconds(args.offsetSeconds());
        S3Path prefix = S3Path.parse("s3_path_prefix", DateTokens.fill(args.prefix(), at));
        String regexText = DateTokens.fill(args.regex(), at);
        Pattern regex = regexText == null ? null : Args.regex("s3_path_regex", regexText);
        long lookedAt = 0;
        long matching = 0;
        long largest = -1;
        try {
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(prefix.bucket()).prefix(prefix.key()))
                    .contents()) {
                lookedAt++;
                S3Path path = new S3Path(prefix.bucket(), o.key());
                if (regex != null && !regex.matcher(path.toString()).matches()) {
                    continue;
                }
                matching++;
                largest = Math.max(largest, o.size());
                if (o.size() >= args.minSize()) {
                    return new Found(path, o.size(), lookedAt);
                }
            }
        } catch (SdkException e) {
            throw S3Failure.of("listing " + prefix, e);
        }
        StringBuilder m = new StringBuilder("no object under ").append(prefix);
        if (regex != null) {
            m.append(" matches s3_path_regex ").append(regexText);
        }
        if (args.minSize() > 0) {
            m.append(regex != null ? " with" : " has").append(" at least ").append(args.minSize()).append(" bytes");
        }
        m.append(" (").append(lookedAt).append(lookedAt == 1 ? " object" : " objects").append(" looked at");
        if (regex != null) {
            m.append(", ").append(matching).append(" matching the regex");
        }
        if (largest >= 0) {
            m.append(regex != null ? ", largest match " : ", largest ").append(largest).append(" bytes");
        }
        throw new IllegalStateException(m.append(')').toString());
    }
}
