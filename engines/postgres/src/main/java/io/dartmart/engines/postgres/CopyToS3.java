package io.dartmart.engines.postgres;

import io.dartmart.engines.s3.S3Path;
import org.postgresql.PGConnection;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;

/**
 * The {@code copy_to_s3} action: a query's rows streamed, in a read-only transaction, into one S3 object: CSV through
 * {@code COPY (query) TO STDOUT}, JSON lines through a cursor over {@code row_to_json}; gzip on the way when asked.
 */
final class CopyToS3 {
    static final int PART_SIZE = 8 * 1024 * 1024;
    private static final int FETCH_ROWS = 1_000;

    /** The args, with the destination's date placeholders already filled. */
    record Request(String query, S3Path destination, boolean json, String delimiter, boolean header, boolean gzip,
                   Duration timeout) {
    }

    /** What was written: rows and bytes (as stored). */
    record Written(S3Path path, long rows, long bytes) {
    }

    private CopyToS3() {
    }

    static Written run(Warehouse warehouse, S3Client s3, Request r) throws IOException {
        S3Path to = r.destination().isFolder()
                ? r.destination().resolve("part-00000" + (r.json() ? ".jsonl" : ".csv") + (r.gzip() ? ".gz" : ""))
                : r.destination();
        String query = withoutTrailingSemicolons(r.query());
        Connection c = warehouse.connect(true, r.timeout());
        try (c; S3Upload upload = new S3Upload(s3, to, PART_SIZE)) {
            GZIPOutputStream gzip = r.gzip() ? new GZIPOutputStream(upload, 1 << 16) : null;
            OutputStream out = new BufferedOutputStream(gzip != null ? gzip : upload, 1 << 16);
            long rows = r.json() ? jsonLines(c, query, out) : csv(c, query, r, out);
            out.flush();
            if (gzip != null) {
                gzip.finish();
            }
            return new Written(to, rows, upload.finish());
        } catch (SQLException e) {
            throw new IllegalStateException("copy_to_s3 failed, nothing was written to " + to + ": "
                    + Failures.message(e), e);
        }
    }

    private static long csv(Connection c, String query, Request r, OutputStream out) throws SQLException, IOException {
        String sql = "COPY (" + query + ") TO STDOUT WITH (FORMAT csv, DELIMITER "
                + Sql.literal(c, "delimiter", r.delimiter()) + ", HEADER " + r.header() + ")";
        return c.unwrap(PGConnection.class).getCopyAPI().copyOut(sql, out);
    }

    private static long jsonLines(Connection c, String query, OutputStream out) throws SQLException, IOException {
        long rows = 0;
        try (PreparedStatement s = c.prepareStatement("SELECT row_to_json(dart_row)::text FROM (" + query
                + ") dart_row")) {
            s.setFetchSize(FETCH_ROWS);
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.write(r.getString(1).getBytes(StandardCharsets.UTF_8));
                    out.write('\n');
                    rows++;
                }
            }
        }
        return rows;
    }

    private static String withoutTrailingSemicolons(String query) {
        String q = query.strip();
        while (q.endsWith(";")) {
            q = q.substring(0, q.length() - 1).strip();
        }
        return q;
    }
}
