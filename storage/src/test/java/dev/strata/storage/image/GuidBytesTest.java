package dev.strata.storage.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class GuidBytesTest {
    /** VirtualBox shows 0c4be3f9-4498-4dfb-aef8-83713f912b93 for these header bytes (first three fields little-endian). */
    private static final byte[] ON_DISK = HexFormat.of().parseHex("f9e34b0c9844fb4daef883713f912b93");

    @Test
    void readsFirstThreeFieldsLittleEndian() {
        assertEquals(UUID.fromString("0c4be3f9-4498-4dfb-aef8-83713f912b93"), GuidBytes.read(ON_DISK, 0));
    }

    @Test
    void writesTheSameBytesItReads() {
        byte[] out = new byte[20];
        GuidBytes.write(UUID.fromString("0c4be3f9-4498-4dfb-aef8-83713f912b93"), out, 2);
        byte[] slice = java.util.Arrays.copyOfRange(out, 2, 18);
        assertArrayEquals(ON_DISK, slice);
    }

    @Test
    void nullWritesZeros() {
        byte[] out = TestFiles.filled(16, 0x55);
        GuidBytes.write(null, out, 0);
        assertArrayEquals(new byte[16], out);
    }
}
