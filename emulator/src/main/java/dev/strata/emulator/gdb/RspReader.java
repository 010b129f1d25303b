package dev.strata.emulator.gdb;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads what gdb sends: packets ({@code $...#cc}), acknowledgements ({@code +}, {@code -}) and the interrupt byte
 * (03h, Ctrl-C). A packet whose checksum does not match is returned as {@link Item.Kind#BAD_PACKET} so the stub
 * asks for it again; bytes outside a packet are skipped, as gdb's own stubs do.
 */
public final class RspReader {

    /** The largest packet accepted; gdb is told so in qSupported's PacketSize. */
    public static final int MAX_PACKET = 16384;

    /** One thing read from gdb. */
    public record Item(Kind kind, String payload) {

        /** What arrived. */
        public enum Kind { PACKET, BAD_PACKET, ACK, NACK, INTERRUPT, END }
    }

    private final InputStream in;

    public RspReader(InputStream in) {
        this.in = in;
    }

    /** True when a byte can be read without blocking (to notice Ctrl-C while the guest runs). */
    public boolean ready() throws IOException {
        return in.available() > 0;
    }

    /** The next item; {@link Item.Kind#END} when the connection closed. */
    public Item next() throws IOException {
        while (true) {
            int c = in.read();
            switch (c) {
                case -1:
                    return new Item(Item.Kind.END, null);
                case '+':
                    return new Item(Item.Kind.ACK, null);
                case '-':
                    return new Item(Item.Kind.NACK, null);
                case 0x03:
                    return new Item(Item.Kind.INTERRUPT, null);
                case '$':
                    return packet();
                default:
                    // noise between packets (a stray newline from a terminal): skipped
            }
        }
    }

    private Item packet() throws IOException {
        StringBuilder body = new StringBuilder();
        while (true) {
            int c = in.read();
            if (c < 0) {
                return new Item(Item.Kind.END, null);
            }
            if (c == '#') {
                break;
            }
            if (body.length() > MAX_PACKET) {
                skipTo('#');
                in.read();
                in.read();
                return new Item(Item.Kind.BAD_PACKET, null);
            }
            body.append((char) c);
        }
        int hi = in.read();
        int lo = in.read();
        if (hi < 0 || lo < 0) {
            return new Item(Item.Kind.END, null);
        }
        int sum = Character.digit(hi, 16) << 4 | Character.digit(lo, 16);
        String raw = body.toString();
        if (Character.digit(hi, 16) < 0 || Character.digit(lo, 16) < 0 || sum != RspPacket.checksum(raw)) {
            return new Item(Item.Kind.BAD_PACKET, raw);
        }
        return new Item(Item.Kind.PACKET, RspPacket.unescape(raw));
    }

    private void skipTo(int end) throws IOException {
        int c;
        do {
            c = in.read();
        } while (c >= 0 && c != end);
    }
}
