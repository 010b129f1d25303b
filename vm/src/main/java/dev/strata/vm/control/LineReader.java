package dev.strata.vm.control;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads newline-ended lines of at most a set number of bytes from a client. A longer line is skipped to its end and
 * reported as {@link #TOO_LONG}, so one bad message costs the client an error, never the server its memory; a line
 * cut off by the client closing is dropped, since half a request must not run.
 */
final class LineReader {
    /** What {@link #next()} returns for a line over the limit (compared by identity). */
    static final String TOO_LONG = new String("<line too long>");

    private final InputStream in;
    private final int limit;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final byte[] buffer = new byte[8192];
    private int pos;
    private int end;

    LineReader(InputStream in, int limit) {
        this.in = in;
        this.limit = limit;
    }

    /** The next line without its end ({@code \n} or {@code \r\n}), {@link #TOO_LONG}, or null at the end of input. */
    String next() throws IOException {
        line.reset();
        boolean skipping = false;
        while (true) {
            if (pos == end) {
                end = in.read(buffer);
                pos = 0;
                if (end <= 0) {
                    end = 0;
                    return null; // a partial line (the client went away mid-message) is dropped
                }
            }
            int start = pos;
            while (pos < end && buffer[pos] != '\n') {
                pos++;
            }
            boolean complete = pos < end;
            if (!skipping) {
                line.write(buffer, start, pos - start);
                if (line.size() > limit + 1) { // +1: a '\r' before the '\n' does not count
                    skipping = true;
                    line.reset();
                }
            }
            if (complete) {
                pos++;
                if (skipping) {
                    return TOO_LONG;
                }
                String text = line.toString(StandardCharsets.UTF_8);
                text = text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
                if (text.length() > limit) {
                    return TOO_LONG;
                }
                return text;
            }
        }
    }
}
