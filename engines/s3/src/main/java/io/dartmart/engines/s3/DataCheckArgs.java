package io.dartmart.engines.s3;

import com.fasterxml.jackson.databind.JsonNode;

/** The args of a {@code data_check} action, with their date placeholders still in. */
record DataCheckArgs(String prefix, String regex, long minSize, long offsetSeconds) {

    static DataCheckArgs of(JsonNode args) {
        return new DataCheckArgs(Args.required(args, "s3_path_prefix"), Args.optional(args, "s3_path_regex"),
                Math.max(0, Args.number(args, "min_file_size_in_bytes", 0)),
                Args.number(args, "date_offset_in_seconds", 0));
    }
}
