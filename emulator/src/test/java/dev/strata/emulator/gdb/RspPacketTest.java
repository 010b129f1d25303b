package dev.strata.emulator.gdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RspPacketTest {

    private static RspReader reader(String wire) {
        return new RspReader(new ByteArrayInputStream(wire.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void framesAPayloadWithItsModulo256Checksum() {
        assertEquals("$OK#9a", new String(RspPacket.frame("OK"), StandardCharsets.ISO_8859_1));
        assertEquals("$#00", new String(RspPacket.frame(""), StandardCharsets.ISO_8859_1));
        assertEquals(0x9a, RspPacket.checksum("OK"));
    }

    @Test
    void escapesTheBytesThatWouldEndAPacketAndUnescapesThem() {
        assertEquals("a}\u0003b}\u0004}]}\n", RspPacket.escape("a#b$}*"));
        assertEquals("a#b$}*", RspPacket.unescape(RspPacket.escape("a#b$}*")));
        assertEquals("$}\u0003#80", new String(RspPacket.frame("#"), StandardCharsets.ISO_8859_1));
    }

    @Test
    void hexRoundTripsAndRefusesWhatIsNotHex() {
        assertEquals("00ff7f", RspPacket.hex(new byte[] {0, -1, 0x7f}));
        assertArrayEquals(new byte[] {0, -1, 0x7f}, RspPacket.unhex("00FF7f"));
        assertEquals(0x7c00L, RspPacket.parseHex("7c00"));
        assertThrows(IllegalArgumentException.class, () -> RspPacket.unhex("abc"));
        assertThrows(IllegalArgumentException.class, () -> RspPacket.parseHex("7g"));
        assertThrows(IllegalArgumentException.class, () -> RspPacket.parseHex(""));
    }

    @Test
    void readsPacketsAcksAndCtrlCAndFlagsABadChecksum() throws IOException {
        RspReader r = reader("+$qC#b4-\u0003$g#00\n$m7c00,2#XX$X0,1:}]#f9");
        assertEquals(RspReader.Item.Kind.ACK, r.next().kind());
        RspReader.Item qc = r.next();
        assertEquals(RspReader.Item.Kind.PACKET, qc.kind());
        assertEquals("qC", qc.payload());
        assertEquals(RspReader.Item.Kind.NACK, r.next().kind());
        assertEquals(RspReader.Item.Kind.INTERRUPT, r.next().kind());
        assertEquals(RspReader.Item.Kind.BAD_PACKET, r.next().kind(), "checksum 00 does not match 'g'");
        assertEquals(RspReader.Item.Kind.BAD_PACKET, r.next().kind(), "a checksum that is not hex");
        RspReader.Item x = r.next();
        assertEquals(RspReader.Item.Kind.PACKET, x.kind());
        assertEquals("X0,1:}", x.payload(), "the escaped byte is unescaped");
        assertEquals(RspReader.Item.Kind.END, r.next().kind());
    }
}
