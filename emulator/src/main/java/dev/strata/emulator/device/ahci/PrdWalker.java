package dev.strata.emulator.device.ahci;

import dev.strata.emulator.device.ata.DmaMemory;

/**
 * Walks one command's physical region descriptor table (16 bytes an entry: data base address, a reserved dword
 * ignored as the upper address of a 32-bit HBA, and the byte count minus one in bits 21:0) and copies data between
 * guest memory and a device's buffer, counting the bytes moved for the command header's PRDBC.
 */
final class PrdWalker {

    /** How a copy ended. */
    enum Result {
        DONE,
        /** The table ended before the data did: more data than the guest gave room for, or too little to write. */
        TABLE_EXHAUSTED,
        /** A data region lies outside RAM. */
        UNMAPPED
    }

    private final DmaMemory memory;
    private final byte[] entry = new byte[16];
    private int table;
    private int entries;
    private int next;
    private int address;
    private int remaining;
    private int moved;

    PrdWalker(DmaMemory memory) {
        this.memory = memory;
    }

    /** Starts at the table at {@code table} with {@code entries} entries (the caller checked it lies in RAM). */
    void start(int table, int entries) {
        this.table = table;
        this.entries = entries;
        next = 0;
        remaining = 0;
        moved = 0;
    }

    /** Bytes moved since {@link #start}. */
    int moved() {
        return moved;
    }

    /** Copies {@code length} bytes to memory from {@code buffer[offset..]} ({@code toMemory}) or back. */
    Result copy(byte[] buffer, int offset, int length, boolean toMemory) {
        while (length > 0) {
            if (remaining == 0 && !nextEntry()) {
                return Result.TABLE_EXHAUSTED;
            }
            int n = Math.min(length, remaining);
            if (!memory.contains(address, n)) {
                return Result.UNMAPPED;
            }
            if (toMemory) {
                memory.write(address, buffer, offset, n);
            } else {
                memory.read(address, buffer, offset, n);
            }
            address += n;
            remaining -= n;
            offset += n;
            length -= n;
            moved += n;
        }
        return Result.DONE;
    }

    private boolean nextEntry() {
        if (next >= entries) {
            return false;
        }
        memory.read(table + 16 * next, entry, 0, 16);
        next++;
        address = dword(0) & ~1; // data addresses are word aligned
        remaining = (dword(12) & 0x3F_FFFF) + 1;
        return true;
    }

    private int dword(int at) {
        return (entry[at] & 0xFF) | (entry[at + 1] & 0xFF) << 8 | (entry[at + 2] & 0xFF) << 16
                | (entry[at + 3] & 0xFF) << 24;
    }
}
