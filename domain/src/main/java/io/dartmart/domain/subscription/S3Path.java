package io.dartmart.domain.subscription;

import io.dartmart.domain.error.InvalidInputException;

/** An {@code s3://bucket/key} path. */
public record S3Path(String bucket, String key) {
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

    @Override
    public String toString() {
        return "s3://" + bucket + "/" + key;
    }
}
