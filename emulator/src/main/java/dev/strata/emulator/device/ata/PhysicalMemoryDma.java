package dev.strata.emulator.device.ata;

import dev.strata.emulator.memory.PhysicalMemory;

/** {@link DmaMemory} over the machine's {@link PhysicalMemory}, four bytes at a time. */
final class PhysicalMemoryDma implements DmaMemory {

    private final PhysicalMemory memory;

    PhysicalMemoryDma(PhysicalMemory memory) {
        this.memory = memory;
    }

    @Override
    public boolean contains(int physical, int length) {
        long start = physical & 0xFFFF_FFFFL;
        return length >= 0 && start + length <= memory.size();
    }

    @Override
    public void read(int physical, byte[] dst, int offset, int length) {
        int i = 0;
        for (; i + 4 <= length; i += 4) {
            int v = memory.read32(physical + i);
            dst[offset + i] = (byte) v;
            dst[offset + i + 1] = (byte) (v >>> 8);
            dst[offset + i + 2] = (byte) (v >>> 16);
            dst[offset + i + 3] = (byte) (v >>> 24);
        }
        for (; i < length; i++) {
            dst[offset + i] = (byte) memory.read8(physical + i);
        }
    }

    @Override
    public void write(int physical, byte[] src, int offset, int length) {
        int i = 0;
        for (; i + 4 <= length; i += 4) {
            int v = (src[offset + i] & 0xFF) | (src[offset + i + 1] & 0xFF) << 8
                    | (src[offset + i + 2] & 0xFF) << 16 | (src[offset + i + 3] & 0xFF) << 24;
            memory.write32(physical + i, v);
        }
        for (; i < length; i++) {
            memory.write8(physical + i, src[offset + i]);
        }
    }
}
