package io.dartmart.engines.postgres;

import io.dartmart.engines.s3.S3Failure;
import io.dartmart.engines.s3.S3Path;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import com.google.re2j.Pattern;

/**
 * The files of a dataset a load takes: the objects under its location (taken as a folder), at or after the start
 * prefix, before the end prefix, whose whole {@code s3://} path contains a match of the regex; in S3's key order
 * (by UTF-8 bytes), which is the order they are loaded in.
 */
final class DatasetFiles {
    /** One object to load. */
    record S3File(String bucket, String key) {
        String path() {
            return "s3://" + bucket + "/" + key;
        }
    }

    private DatasetFiles() {
    }

    /**
     * @param start null or a full {@code s3://} path under the location
     * @param end   null or a full {@code s3://} path under the location
     * @throws IllegalArgumentException when a prefix lies outside the location
     */
    static List<S3File> list(S3Client s3, String location, String start, String end, Pattern regex) {
        S3Path root = S3Path.parse("the dataset's location", location).asFolder();
        String from = keyWithin(root, "s3_path_start_prefix_inclusive", start);
        String to = keyWithin(root, "s3_path_end_prefix_exclusive", end);
        List<S3File> files = new ArrayList<>();
        try {
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(root.bucket()).prefix(root.key())).contents()) {
                String key = o.key();
                if (to != null && compare(key, to) >= 0) {
                    break;
                }
                if (key.endsWith("/") || (from != null && compare(key, from) < 0)) {
                    continue;
                }
                S3File file = new S3File(root.bucket(), key);
                if (regex == null || regex.matcher(file.path()).find()) {
                    files.add(file);
                }
            }
        } catch (SdkException e) {
            throw S3Failure.of("listing " + root, e);
        }
        return files;
    }

    /** The files named by {@code s3://} paths (a subscription's elements), in key order. */
    static List<S3File> of(List<String> paths) {
        List<S3File> files = new ArrayList<>();
        for (String p : paths) {
            S3Path path = S3Path.parse("a subscription element's s3_path", p);
            files.add(new S3File(path.bucket(), path.key()));
        }
        files.sort((a, b) -> compare(a.path(), b.path()));
        return files;
    }

    private static String keyWithin(S3Path root, String what, String path) {
        if (path == null) {
            return null;
        }
        S3Path p = S3Path.parse(what, path);
        if (!p.bucket().equals(root.bucket()) || !p.key().startsWith(root.key())) {
            throw new IllegalArgumentException(what + " must lie under the dataset's location " + root + ", got " + path);
        }
        return p.key();
    }

    private static int compare(String a, String b) {
        return Arrays.compareUnsigned(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
