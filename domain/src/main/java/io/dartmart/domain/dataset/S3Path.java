package io.dartmart.domain.dataset;

import io.dartmart.domain.error.InvalidInputException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The address of one S3 object, {@code s3://bucket/key}. */
public record S3Path(String bucket, String key) {
    // bucket names as S3 accepts them, legacy upper case and underscores included; the key is anything non-empty
    private static final Pattern FORM = Pattern.compile("s3://([A-Za-z0-9][A-Za-z0-9._-]{0,254})/(.+)");

    /** Parses {@code text}; {@code parameter} names the request parameter in the error. */
    public static S3Path parse(String text, String parameter) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(parameter + ": required: the object to sample, as s3://bucket/key");
        }
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches() || m.group(2).endsWith("/")) {
            throw new InvalidInputException(parameter + ": must be one object, s3://bucket/key (a key, not a folder), "
                    + "found '" + text + "'");
        }
        return new S3Path(m.group(1), m.group(2));
    }

    /** The last segment of the key. */
    public String fileName() {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    /** The object's folder, with a trailing slash: {@code s3://bucket/a/b/} for {@code s3://bucket/a/b/c.csv}. */
    public String folder() {
        int slash = key.lastIndexOf('/');
        return "s3://" + bucket + "/" + (slash < 0 ? "" : key.substring(0, slash + 1));
    }

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
