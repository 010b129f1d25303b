package dev.strata.vm.control;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Reads and writes a socket channel directly. {@link java.nio.channels.Channels}' streams lock the channel for each
 * call, so a thread blocked reading would keep another from writing: a server could not send an event while it
 * waits for the client's next request.
 */
final class ChannelStreams {
    private ChannelStreams() {
    }

    /** An input stream over {@code ch} that does not block its writers. */
    static InputStream input(SocketChannel ch) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n;
                do {
                    n = ch.read(ByteBuffer.wrap(b, off, len));
                } while (n == 0);
                return n;
            }
        };
    }

    /** Writes all of {@code bytes} to {@code ch}. */
    static void write(SocketChannel ch, byte[] bytes) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(bytes);
        while (out.hasRemaining()) {
            ch.write(out);
        }
    }
}
