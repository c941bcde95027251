package io.dartmart.domain.dataset;

import io.dartmart.domain.aws.S3Path;
import io.dartmart.domain.error.InvalidInputException;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The first complete lines of a sample as text: gunzipped when the key or the bytes say gzip, strictly UTF-8, and
 * never more than {@link #MAX_TEXT_BYTES}, whatever the sample expands to.
 */
record TextSample(List<String> lines, boolean gzipped) {
    /** The most decompressed bytes read: bounds a gzip bomb or a file without line breaks. */
    static final int MAX_TEXT_BYTES = 16 << 20;

    static TextSample read(Sample sample, S3Path path, int maxLines) throws IOException {
        BufferedInputStream raw = new BufferedInputStream(sample.bytes(), 1 << 16);
        byte[] head = peek(raw);
        if (head.length == 0) {
            throw new InvalidInputException("s3_path: " + path + " is empty; there is nothing to guess from");
        }
        if (startsWith(head, 'P', 'A', 'R', '1')) {
            throw new InvalidInputException("s3_path: " + path + " is a Parquet file; guessing reads text samples "
                    + "(CSV, TSV, JSON lines), gzipped or not");
        }
        String name = path.key().toLowerCase(Locale.ROOT);
        boolean gzipped = startsWith(head, 0x1f, 0x8b) || name.endsWith(".gz") || name.endsWith(".gzip");
        InputStream text = raw;
        if (gzipped) {
            try {
                text = new GZIPInputStream(raw, 1 << 16);
            } catch (ZipException | EOFException e) {
                throw notGzip(path, e);
            }
        }
        return new TextSample(lines(text, sample.whole(), path, maxLines), gzipped);
    }

    private static List<String> lines(InputStream in, boolean whole, S3Path path, int maxLines) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        long total = 0;
        boolean ended = false;
        byte[] buf = new byte[1 << 16];
        while (lines.size() < maxLines && total < MAX_TEXT_BYTES) {
            int n;
            try {
                n = in.read(buf, 0, (int) Math.min(buf.length, MAX_TEXT_BYTES - total));
            } catch (EOFException e) {
                if (whole) {
                    throw new InvalidInputException("s3_path: " + path + ": the gzip data ends early; the object "
                            + "is truncated");
                }
                break; // the sample stops inside the compressed data: what came out so far stands
            } catch (ZipException e) {
                throw notGzip(path, e);
            }
            if (n < 0) {
                ended = true;
                break;
            }
            total += n;
            int start = 0;
            for (int i = 0; i < n && lines.size() < maxLines; i++) {
                if (buf[i] == '\n') {
                    line.write(buf, start, i - start);
                    lines.add(decode(line.toByteArray(), lines.size() + 1, path));
                    line.reset();
                    start = i + 1;
                }
            }
            if (lines.size() < maxLines) {
                line.write(buf, start, n - start);
            }
        }
        // a last line without a line break is complete only when the object itself ends there
        if (ended && whole && line.size() > 0 && lines.size() < maxLines) {
            lines.add(decode(line.toByteArray(), lines.size() + 1, path));
        }
        if (lines.isEmpty() && line.size() > 0) {
            throw new InvalidInputException("s3_path: " + path + ": no line break in the first " + total
                    + " bytes; guessing reads line-based text (CSV, TSV, JSON lines)");
        }
        if (lines.stream().allMatch(String::isBlank)) {
            throw new InvalidInputException("s3_path: " + path + " has no data in its first " + maxLines + " lines");
        }
        return lines;
    }

    private static String decode(byte[] bytes, int number, S3Path path) {
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        String text;
        try {
            text = utf8.decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw binary(path, number, "is not UTF-8 text");
        }
        if (text.indexOf('\u0000') >= 0) {
            throw binary(path, number, "holds NUL bytes");
        }
        return number == 1 && text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static InvalidInputException binary(S3Path path, int line, String what) {
        return new InvalidInputException("s3_path: " + path + ": line " + line + " " + what + "; the object looks "
                + "binary, and guessing reads text samples (CSV, TSV, JSON lines), gzipped or not");
    }

    private static InvalidInputException notGzip(S3Path path, IOException e) {
        return new InvalidInputException("s3_path: " + path + " is not valid gzip data (" + e.getMessage() + ")");
    }

    private static byte[] peek(BufferedInputStream in) throws IOException {
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        return head;
    }

    private static boolean startsWith(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
