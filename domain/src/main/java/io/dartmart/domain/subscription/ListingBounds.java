package io.dartmart.domain.subscription;

import com.google.re2j.Pattern;
import io.dartmart.domain.aws.S3Path;
import io.dartmart.domain.error.InvalidInputException;
import io.dartmart.domain.model.Entity;
import io.dartmart.domain.regex.UserRegex;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Which keys of a bucket belong to a subscription: those under the dataset's location (taken as a folder), not
 * before the start prefix, before the end prefix, and matching the regex (against the whole {@code s3://} path).
 * Keys compare as S3 orders them, by their UTF-8 bytes. A start prefix that matches nothing therefore lists nothing
 * after it, never the whole bucket.
 */
public final class ListingBounds {
    public static final String REGEX_FIELD = "/data/s3_path_regex_filter";
    private final String bucket;
    private final String folder;
    private final String start;
    private final String end;
    private final Pattern regex;

    private ListingBounds(String bucket, String folder, String start, String end, Pattern regex) {
        this.bucket = bucket;
        this.folder = folder;
        this.start = start;
        this.end = end;
        this.regex = regex;
    }

    /** The bounds of {@code subscription} on {@code dataset}; bad paths or regex are 400s naming the field. */
    public static ListingBounds of(Entity dataset, Entity subscription) {
        return of(dataset.text("location"), subscription.text("s3_path_start_prefix_inclusive"),
                subscription.text("s3_path_end_prefix_exclusive"), subscription.text("s3_path_regex_filter"));
    }

    public static ListingBounds of(String location, String startPrefix, String endPrefix, String regex) {
        S3Path root = S3Path.parse(location, "/data/location of the dataset");
        String folder = root.key().isEmpty() || root.key().endsWith("/") ? root.key() : root.key() + "/";
        String start = keyWithin(root.bucket(), folder, startPrefix, "/data/s3_path_start_prefix_inclusive", location);
        String end = keyWithin(root.bucket(), folder, endPrefix, "/data/s3_path_end_prefix_exclusive", location);
        if (start != null && end != null && compare(start, end) >= 0) {
            throw new InvalidInputException("/data/s3_path_end_prefix_exclusive: must sort after the start prefix "
                    + startPrefix + ", found " + endPrefix);
        }
        Pattern pattern = regex == null || regex.isEmpty() ? null : UserRegex.compile(regex, REGEX_FIELD);
        return new ListingBounds(root.bucket(), folder, start, end, pattern);
    }

    private static String keyWithin(String bucket, String folder, String path, String pointer, String location) {
        if (path == null || path.isEmpty()) {
            return null;
        }
        S3Path p = S3Path.parse(path, pointer);
        if (!p.bucket().equals(bucket) || !p.key().startsWith(folder)) {
            throw new InvalidInputException(pointer + ": must lie under the dataset's location " + location
                    + ", found " + path);
        }
        return p.key();
    }

    public String bucket() {
        return bucket;
    }

    /** The prefix to list: the dataset's folder. */
    public String listPrefix() {
        return folder;
    }

    /**
     * Where a listing may begin (S3's exclusive {@code StartAfter}), resuming after {@code lastKey} when given: just
     * short of the start prefix, so the prefix itself is listed; keys between it and the prefix are filtered out.
     */
    public String startAfter(String lastKey) {
        String from = start == null || start.isEmpty() ? null : start.substring(0, start.length() - 1);
        if (lastKey != null && (from == null || compare(lastKey, from) > 0)) {
            return lastKey;
        }
        return from;
    }

    /** Whether a listing that reached {@code key} can stop: every later key is at or past the end prefix. */
    public boolean pastEnd(String key) {
        return end != null && compare(key, end) >= 0;
    }

    /** Whether {@code key} of the bucket is an element of the subscription. */
    public boolean includes(String key) {
        if (!key.startsWith(folder) || key.endsWith("/")) {
            return false;
        }
        if (start != null && compare(key, start) < 0) {
            return false;
        }
        if (pastEnd(key)) {
            return false;
        }
        return regex == null || regex.matcher(s3Path(key)).find();
    }

    public String s3Path(String key) {
        return "s3://" + bucket + "/" + key;
    }

    static int compare(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
