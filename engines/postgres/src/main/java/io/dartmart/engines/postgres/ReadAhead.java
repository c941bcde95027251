package io.dartmart.engines.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a stream on a thread of its own, a few chunks ahead of the reader, so that fetching and gunzipping a file
 * runs while the database parses the chunk before: the load then costs the slower of the two instead of their sum.
 * Holds at most {@value #CHUNKS} chunks of {@value #CHUNK} bytes. A read failure reaches the reader as the
 * {@link IOException} it was; closing stops the thread and closes the source.
 */
final class ReadAhead extends InputStream {
    static final int CHUNK = 1 << 18;
    static final int CHUNKS = 8;
    private static final byte[] END = new byte[0];

    private final InputStream source;
    private final BlockingQueue<byte[]> chunks = new ArrayBlockingQueue<>(CHUNKS);
    private final Thread reader;
    private volatile IOException failure;
    private volatile boolean closed;
    private byte[] current = new byte[0];
    private int position;

    ReadAhead(InputStream source, String name) {
        this.source = source;
        this.reader = new Thread(this::fill, "read-ahead " + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void fill() {
        try {
            while (!closed) {
                byte[] chunk = source.readNBytes(CHUNK);
                if (chunk.length == 0) {
                    break;
                }
                offer(chunk.length == CHUNK ? chunk : Arrays.copyOf(chunk, chunk.length));
            }
            offer(END);
        } catch (IOException e) {
            failure = e;
            offerQuietly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits for room, giving up once closed (the reader is gone then). */
    private void offer(byte[] chunk) throws InterruptedException {
        while (!closed && !chunks.offer(chunk, 100, TimeUnit.MILLISECONDS)) {
            // the reader is busy: wait for it
        }
    }

    private void offerQuietly() {
        try {
            offer(END);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private boolean next() throws IOException {
        if (current == END) {
            return false;
        }
        try {
            current = chunks.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading ahead", e);
        }
        position = 0;
        if (current == END) {
            if (failure != null) {
                throw failure;
            }
            return false;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        while (position == current.length) {
            if (!next()) {
                return -1;
            }
        }
        return current[position++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (position == current.length) {
            if (!next()) {
                return -1;
            }
        }
        int n = Math.min(len, current.length - position);
        System.arraycopy(current, position, b, off, n);
        position += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        closed = true;
        chunks.clear();
        reader.interrupt();
        try {
            reader.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.close();
    }
}
