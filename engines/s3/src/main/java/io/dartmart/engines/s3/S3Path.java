package io.dartmart.engines.s3;

/**
 * A location in S3, {@code s3://bucket/key}; the key may be empty (the whole bucket) and is a prefix or an object's
 * key depending on its use.
 */
public record S3Path(String bucket, String key) {
    private static final String SCHEME = "s3://";

    /**
     * Parses {@code s3://bucket[/key]}.
     *
     * @param what the argument's name, for the message
     * @throws IllegalArgumentException when {@code path} is not of that form
     */
    public static S3Path parse(String what, String path) {
        if (path == null || !path.startsWith(SCHEME)) {
            throw new IllegalArgumentException(what + " must be s3://bucket/key, got " + path);
        }
        String rest = path.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        if (bucket.isEmpty()) {
            throw new IllegalArgumentException(what + " names no bucket: " + path);
        }
        return new S3Path(bucket, slash < 0 ? "" : rest.substring(slash + 1));
    }

    /** This location as a folder: the key with a trailing {@code /}, unless it is empty (the whole bucket). */
    public S3Path asFolder() {
        return key.isEmpty() || key.endsWith("/") ? this : new S3Path(bucket, key + "/");
    }

    /** The location {@code relative} below this one, which is taken as a folder's key. */
    public S3Path resolve(String relative) {
        return new S3Path(bucket, key + relative);
    }

    /** Whether the key ends in {@code /}: the path names a folder, not an object. */
    public boolean isFolder() {
        return key.endsWith("/");
    }

    /** The key's last segment, after its last {@code /}. */
    public String fileName() {
        return key.substring(key.lastIndexOf('/') + 1);
    }

    @Override
    public String toString() {
        return SCHEME + bucket + "/" + key;
    }
}
