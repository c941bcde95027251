package io.dartmart.engines.s3;

import com.fasterxml.jackson.databind.JsonNode;

import com.google.re2j.Pattern;

/** The args of a {@code copy} action. */
record CopyArgs(S3Path from, S3Path to, boolean recursive, Pattern regexFilter) {

    static CopyArgs of(JsonNode args) {
        S3Path from = S3Path.parse("from_path", Args.required(args, "from_path"));
        S3Path to = S3Path.parse("to_path", Args.required(args, "to_path"));
        boolean recursive = Args.bool(args, "recursive", true);
        String filter = Args.optional(args, "regex_filter");
        if (filter != null && !recursive) {
            throw new IllegalArgumentException("regex_filter applies to recursive copies only; recursive is false");
        }
        return new CopyArgs(from, to, recursive, filter == null ? null : Args.regex("regex_filter", filter));
    }

    /** Whether an object at {@code relativeKey} below {@code from} is to be copied. */
    boolean selects(String relativeKey) {
        return regexFilter == null || regexFilter.matcher(relativeKey).matches();
    }
}
