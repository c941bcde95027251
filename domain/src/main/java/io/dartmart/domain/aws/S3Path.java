package io.dartmart.domain.aws;

import io.dartmart.domain.error.InvalidInputException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An S3 address, {@code s3://bucket/key}: one object, or a prefix (a folder) when the key is empty or ends in '/'. */
public record S3Path(String bucket, String key) {
    // bucket names as S3 accepts them, legacy upper case and underscores included; the key is anything non-empty
    private static final Pattern FORM = Pattern.compile("s3://([A-Za-z0-9][A-Za-z0-9._-]{0,254})/(.+)");

    /** Parses any {@code s3://bucket[/prefix]}; {@code pointer} names the field in the error. */
    public static S3Path parse(String path, String pointer) {
        if (path == null || !path.startsWith("s3://")) {
            throw new InvalidInputException(pointer + ": must be an s3://bucket/key path, found " + path);
        }
        String rest = path.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        if (bucket.isEmpty()) {
            throw new InvalidInputException(pointer + ": names no bucket: " + path);
        }
        return new S3Path(bucket, slash < 0 ? "" : rest.substring(slash + 1));
    }

    /** Parses the address of one object; {@code parameter} names the request parameter in the error. */
    public static S3Path parseObject(String text, String parameter) {
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
