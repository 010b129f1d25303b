package dev.strata.emulator.device.ata;

import dev.strata.emulator.memory.PhysicalMemory;

/**
 * {@link DmaMemory} over the machine's {@link PhysicalMemory}: each transfer is one block copy, which moves whole
 * stretches of RAM at once (a PRD region of 64 KiB is sixteen array copies, not sixteen thousand dword stores).
 */
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
        memory.readBlock(physical, dst, offset, length);
    }

    @Override
    public void write(int physical, byte[] src, int offset, int length) {
        memory.writeBlock(physical, src, offset, length);
    }
}
