package dev.strata.bios;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds small bzImage files for the loader's tests: a valid setup header, setup code at 200h, a kernel body. */
final class FakeBzImage {

    static final int SETUP_SECTS = 4;
    static final int SETUP_BYTES = (SETUP_SECTS + 1) * 512;

    private final ByteBuffer b;

    /** A protocol 2.15 bzImage whose protected-mode part is {@code kernelBytes} bytes of a counting pattern. */
    FakeBzImage(int kernelBytes) {
        b = ByteBuffer.allocate(SETUP_BYTES + kernelBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(BzImage.SETUP_SECTS, (byte) SETUP_SECTS);
        b.putShort(BzImage.BOOT_FLAG, (short) 0xAA55);
        b.putInt(BzImage.HEADER, BzImage.HDRS);
        b.putShort(BzImage.VERSION, (short) 0x020F);
        b.put(BzImage.LOADFLAGS, (byte) BzImage.LOADED_HIGH);
        b.putInt(BzImage.INITRD_ADDR_MAX, 0x7FFFFFFF);
        b.putInt(BzImage.CMDLINE_SIZE, 2047);
        b.putInt(BzImage.INIT_SIZE, kernelBytes);
        for (int i = 0; i < kernelBytes; i++) {
            b.put(SETUP_BYTES + i, (byte) (i * 7 + 3));
        }
    }

    /**
     * Setup code: like a real bzImage, the entry (file offset 200h, where CS = setup segment + 20h, IP = 0 points)
     * jumps over the header, here to 270h where {@code bytes} go.
     */
    FakeBzImage code(int... bytes) {
        b.put(0x200, (byte) 0xEB);
        b.put(0x201, (byte) (0x270 - 0x202));
        for (int i = 0; i < bytes.length; i++) {
            b.put(0x270 + i, (byte) bytes[i]);
        }
        return this;
    }

    /**
     * The same header with {@code payload} as the whole protected-mode part, as a real bzImage carries its compressed
     * kernel (payload_offset 0 here: a real one has the decompressor's code before it), ending in the 4-byte unpacked
     * size the kernel's build appends (inside payload_length, as there); pref_address {@code prefAddress}, init_size
     * {@code initSize}.
     */
    static FakeBzImage withPayload(byte[] payload, int unpackedSize, long prefAddress, int initSize) {
        FakeBzImage f = new FakeBzImage(payload.length + 4);
        for (int i = 0; i < payload.length; i++) {
            f.b.put(SETUP_BYTES + i, payload[i]);
        }
        f.b.putInt(SETUP_BYTES + payload.length, unpackedSize);
        f.b.putInt(BzImage.PAYLOAD_OFFSET, 0);
        f.b.putInt(BzImage.PAYLOAD_LENGTH, payload.length + 4);
        f.b.putLong(BzImage.PREF_ADDRESS, prefAddress);
        f.b.putInt(BzImage.INIT_SIZE, initSize);
        return f;
    }

    FakeBzImage put8(int offset, int value) {
        b.put(offset, (byte) value);
        return this;
    }

    FakeBzImage put16(int offset, int value) {
        b.putShort(offset, (short) value);
        return this;
    }

    FakeBzImage put32(int offset, int value) {
        b.putInt(offset, value);
        return this;
    }

    byte[] bytes() {
        return b.array().clone();
    }
}
