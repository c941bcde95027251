package io.dartmart.engines.postgres;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.dartmart.engines.postgres.DatasetFiles.S3File;
import io.dartmart.engines.s3.S3Failure;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.PGCopyOutputStream;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

import java.io.BufferedInputStream;
import java.io.BufferedWriter;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;

/**
 * Streams one S3 object into the stage table with {@code COPY ... FROM STDIN}: delimited files as they are (gunzipped
 * on the way when compressed), JSON lines rewritten row by row as CSV through each column's path. Nothing is held in
 * memory beyond a buffer.
 */
final class StageCopy {
    private static final int BUFFER = 1 << 16;
    /** Quotes fields when the dataset says they are never quoted: a control character that text does not hold. */
    private static final String NO_QUOTE = "\u0001";
    private static final ObjectReader JSON_ROWS = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).readerFor(JsonNode.class);

    private final Connection connection;
    private final CopyManager copies;
    private final S3Client s3;
    private final DatasetSpec dataset;
    private final BooleanSupplier stopped;
    private final String copySql;
    private final JsonPointer[] paths;

    StageCopy(Connection connection, S3Client s3, DatasetSpec dataset, String stage, BooleanSupplier stopped)
            throws SQLException {
        this.connection = connection;
        this.copies = connection.unwrap(PGConnection.class).getCopyAPI();
        this.s3 = s3;
        this.dataset = dataset;
        this.stopped = stopped;
        this.copySql = "COPY " + stage + " (" + Sql.names("column name", dataset.columnNames()) + ") FROM STDIN WITH ("
                + options() + ")";
        List<DatasetSpec.Column> columns = dataset.columns();
        this.paths = new JsonPointer[columns.size()];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = JsonPaths.pointer(columns.get(i).name(), columns.get(i).path());
        }
    }

    private String options() throws SQLException {
        DatasetSpec.TextFormat f = dataset.format();
        StringBuilder o = new StringBuilder("FORMAT csv, ENCODING 'UTF8'");
        if (f.json()) {
            return o.toString();
        }
        o.append(", DELIMITER ").append(Sql.literal(connection, "delimited_by", f.delimiter()));
        o.append(", QUOTE ").append(Sql.literal(connection, "quoted_by", f.quote() == null ? NO_QUOTE : f.quote()));
        if (f.escape() != null) {
            o.append(", ESCAPE ").append(Sql.literal(connection, "escaped_by", f.escape()));
        }
        if (f.nullString() != null) {
            o.append(", NULL ").append(Sql.literal(connection, "null_string", f.nullString()));
        }
        if (f.headerRows() > 0) {
            o.append(", HEADER true");
        }
        return o.toString();
    }

    /**
     * Copies the file into the stage.
     *
     * @return the rows copied
     * @throws IllegalStateException naming the file, with the database's or S3's own message
     * @throws CancellationException when the action was stopped meanwhile
     */
    long copy(S3File file) {
        ResponseInputStream<GetObjectResponse> object;
        try {
            object = s3.getObject(b -> b.bucket(file.bucket()).key(file.key()));
        } catch (SdkException e) {
            throw S3Failure.of("reading " + file.path(), e);
        }
        boolean done = false;
        InputStream in = new StopCheck(object, stopped);
        try {
            if (dataset.gzip() || file.key().endsWith(".gz")) {
                in = new GZIPInputStream(in, BUFFER);
            }
            in = new ReadAhead(in, file.path());
            InputStream buffered = new BufferedInputStream(in, BUFFER);
            long rows;
            if (dataset.format().json()) {
                rows = copyJsonLines(buffered);
            } else {
                skipLines(buffered, dataset.format().headerRows() - 1);
                rows = copies.copyIn(copySql, buffered, BUFFER);
            }
            done = true;
            return rows;
        } catch (SQLException e) {
            if (stopped.getAsBoolean()) {
                throw new CancellationException("the action was stopped while loading " + file.path());
            }
            throw new IllegalStateException("loading " + file.path() + " failed: " + Failures.message(e), e);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("loading " + file.path() + " failed: line "
                    + e.getLocation().getLineNr() + " is not JSON: " + e.getOriginalMessage(), e);
        } catch (IOException | SdkException e) {
            if (stopped.getAsBoolean()) {
                throw new CancellationException("the action was stopped while loading " + file.path());
            }
            throw new IllegalStateException("loading " + file.path() + " failed: " + e.getMessage(), e);
        } finally {
            if (!done) {
                // an unfinished body would otherwise be drained to the end to keep the connection
                object.abort();
            }
            try {
                in.close();
            } catch (IOException ignored) {
                // the file was read, or its failure is the one reported
            }
        }
    }

    private long copyJsonLines(InputStream in) throws SQLException, IOException {
        CopyIn copy = copies.copyIn(copySql);
        try {
            Writer out = new BufferedWriter(new OutputStreamWriter(new PGCopyOutputStream(copy, BUFFER),
                    StandardCharsets.UTF_8), BUFFER);
            try (MappingIterator<JsonNode> rows = JSON_ROWS.readValues(in)) {
                while (rows.hasNextValue()) {
                    JsonNode row = rows.nextValue();
                    if (!row.isObject()) {
                        throw new IOException("line " + rows.getCurrentLocation().getLineNr()
                                + " is not a JSON object but " + row.getNodeType());
                    }
                    writeCsvRow(out, row);
                }
            }
            out.flush();
            return copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    private void writeCsvRow(Writer out, JsonNode row) throws IOException {
        for (int i = 0; i < paths.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            JsonNode v = row.at(paths[i]);
            if (v.isMissingNode() || v.isNull()) {
                continue;
            }
            String text = v.isTextual() ? v.textValue() : v.isContainerNode() ? v.toString() : v.asText();
            out.write('"');
            out.write(text.replace("\"", "\"\""));
            out.write('"');
        }
        out.write('\n');
    }

    private static void skipLines(InputStream in, int lines) throws IOException {
        for (int i = 0; i < lines; i++) {
            int b;
            do {
                b = in.read();
            } while (b != -1 && b != '\n');
        }
    }

    /** Fails the read once the action is stopped, so a long COPY gives up and its transaction rolls back. */
    private static final class StopCheck extends FilterInputStream {
        private final BooleanSupplier stopped;

        StopCheck(InputStream in, BooleanSupplier stopped) {
            super(in);
            this.stopped = stopped;
        }

        @Override
        public int read() throws IOException {
            check();
            return super.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            check();
            return super.read(b, off, len);
        }

        private void check() throws IOException {
            if (stopped.getAsBoolean()) {
                throw new IOException("the action was stopped");
            }
        }
    }
}
