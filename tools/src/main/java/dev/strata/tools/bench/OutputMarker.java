package dev.strata.tools.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Watches an emulator's serial output for the line a benchmark workload prints when it is done. */
public final class OutputMarker {

    private final byte[] marker;
    private int matched;

    public OutputMarker(String marker) {
        if (marker.isEmpty()) {
            throw new IllegalArgumentException("the marker must not be empty");
        }
        this.marker = marker.getBytes(StandardCharsets.US_ASCII);
    }

    /** Feeds one byte of output; true once the whole marker has been seen (it may arrive split over reads). */
    public boolean accept(int b) {
        if (matched == marker.length) {
            return true;
        }
        while (true) {
            if ((byte) b == marker[matched]) {
                matched++;
                return matched == marker.length;
            }
            if (matched == 0) {
                return false;
            }
            // restart from the longest prefix of the marker that ends the bytes matched so far
            matched = longestBorder(matched);
        }
    }

    private int longestBorder(int length) {
        for (int k = length - 1; k > 0; k--) {
            boolean same = true;
            for (int i = 0; i < k && same; i++) {
                same = marker[i] == marker[length - k + i];
            }
            if (same) {
                return k;
            }
        }
        return 0;
    }

    /** Reads {@code in} until the marker appears (true) or the stream ends (false). */
    public boolean awaitIn(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) >= 0) {
            if (accept(b)) {
                return true;
            }
        }
        return false;
    }
}
