package dev.strata.bios;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KernelPayloadTest {

    private static KernelPayload.Format format(int... bytes) {
        byte[] b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        return KernelPayload.format(b, 0, b.length);
    }

    @Test
    void theFormatIsToldByTheMagicBytesTheKernelsBuildWrites() {
        assertEquals(KernelPayload.Format.GZIP, format(0x1F, 0x8B, 8, 0));
        assertEquals(KernelPayload.Format.XZ, format(0xFD, '7', 'z', 'X', 'Z', 0));
        assertEquals(KernelPayload.Format.LZMA, format(0x5D, 0, 0, 0x80));
        assertEquals(KernelPayload.Format.NONE, format(0x7F, 'E', 'L', 'F'));
        assertEquals(KernelPayload.Format.BZIP2, format('B', 'Z', 'h', '9'));
        assertEquals(KernelPayload.Format.LZO, format(0x89, 'L', 'Z', 'O'));
        assertEquals(KernelPayload.Format.LZ4, format(0x02, 0x21, 0x4C, 0x18));
        assertEquals(KernelPayload.Format.ZSTD, format(0x28, 0xB5, 0x2F, 0xFD));
        assertEquals(KernelPayload.Format.UNKNOWN, format(0xFD, '7', 'z'));
        assertEquals(KernelPayload.Format.UNKNOWN, format());
    }

    @Test
    void theReadersStopAtTheEndOfTheirStreamBeforeTheSizeTrailer() throws Exception {
        byte[] image = FakeKernelElf.image();
        for (String how : new String[] {"xz", "gzip", "lzma"}) {
            byte[] z = FakeKernelElf.compress(image, how);
            byte[] payload = java.util.Arrays.copyOf(z, z.length + 4);
            payload[z.length] = (byte) image.length;
            KernelPayload.Format f = KernelPayload.format(payload, 0, payload.length);
            assertArrayEquals(image, KernelPayload.unpack("vmlinuz", payload, 0, payload.length, f, 1 << 20), how);
        }
    }

    @Test
    void aKernelLargerThanTheLimitIsRefusedNamingTheMemoryOption() throws Exception {
        byte[] z = FakeKernelElf.compress(new byte[64 * 1024], "gzip");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KernelPayload.unpack("vmlinuz", z, 0, z.length, KernelPayload.Format.GZIP, 60 * 1024));
        assertTrue(e.getMessage().startsWith("vmlinuz: the kernel's gzip payload at file offset 0h unpacks to more"
                + " than 60 KiB") && e.getMessage().contains("--memory"), e.getMessage());
    }
}
