package dev.strata.emulator.gdb;

import java.nio.charset.StandardCharsets;

/**
 * The framing of the GDB remote serial protocol: {@code $payload#cc} with a modulo-256 checksum in two hex digits,
 * {@code }} escapes for the bytes that would end or start a packet, and the hex encodings packets carry.
 * Payloads are handled as ISO-8859-1 strings so that each character is one byte on the wire.
 */
public final class RspPacket {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private RspPacket() {
    }

    /** The sum of the payload's bytes modulo 256, as the {@code #cc} trailer carries it. */
    public static int checksum(String payload) {
        int sum = 0;
        for (int i = 0; i < payload.length(); i++) {
            sum += payload.charAt(i) & 0xFF;
        }
        return sum & 0xFF;
    }

    /** The bytes to send for {@code payload}: escaped, framed and checksummed. */
    public static byte[] frame(String payload) {
        String escaped = escape(payload);
        int sum = checksum(escaped);
        return ("$" + escaped + "#" + HEX[sum >>> 4] + HEX[sum & 0xF]).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Escapes {@code $}, {@code #}, {@code }} and {@code *} as {@code }} followed by the byte XOR 20h. */
    public static String escape(String payload) {
        StringBuilder b = null;
        for (int i = 0; i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (c == '$' || c == '#' || c == '}' || c == '*') {
                if (b == null) {
                    b = new StringBuilder(payload.length() + 8).append(payload, 0, i);
                }
                b.append('}').append((char) (c ^ 0x20));
            } else if (b != null) {
                b.append(c);
            }
        }
        return b == null ? payload : b.toString();
    }

    /** Undoes {@link #escape}. */
    public static String unescape(String payload) {
        int at = payload.indexOf('}');
        if (at < 0) {
            return payload;
        }
        StringBuilder b = new StringBuilder(payload.length()).append(payload, 0, at);
        for (int i = at; i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (c == '}' && i + 1 < payload.length()) {
                b.append((char) (payload.charAt(++i) ^ 0x20));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /** Two lowercase hex digits per byte. */
    public static String hex(byte[] bytes) {
        StringBuilder b = new StringBuilder(bytes.length * 2);
        for (byte x : bytes) {
            b.append(HEX[(x >>> 4) & 0xF]).append(HEX[x & 0xF]);
        }
        return b.toString();
    }

    /** The bytes of a hex string; throws {@link IllegalArgumentException} naming the text when it is not hex. */
    public static byte[] unhex(String hex) {
        if ((hex.length() & 1) != 0) {
            throw new IllegalArgumentException("odd number of hex digits: " + hex);
        }
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (digit(hex, 2 * i) << 4 | digit(hex, 2 * i + 1));
        }
        return out;
    }

    /** A hex number as packets write addresses and lengths (no prefix, big-endian digits). */
    public static long parseHex(String text) {
        if (text.isEmpty() || text.length() > 16) {
            throw new IllegalArgumentException("not a hex number: '" + text + "'");
        }
        long v = 0;
        for (int i = 0; i < text.length(); i++) {
            v = v << 4 | digit(text, i);
        }
        return v;
    }

    private static int digit(String text, int at) {
        int d = Character.digit(text.charAt(at), 16);
        if (d < 0) {
            throw new IllegalArgumentException("not a hex digit at " + at + ": '" + text + "'");
        }
        return d;
    }
}
