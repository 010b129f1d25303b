package dev.strata.emulator.cpu.paging;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.exception.CpuFault;
import dev.strata.emulator.cpu.exception.Vectors;
import dev.strata.emulator.memory.PhysicalMemory;

/**
 * Two-level 4 KiB paging (CR0.PG) with a direct-mapped TLB. Each TLB slot caches one linear page for reads and,
 * once a write walk has set the dirty bit, for writes; user-mode (CPL 3) and supervisor lookups are told apart by
 * a bit in the tag, so a hit never needs a permission check. A miss walks the page directory and table, sets
 * accessed and dirty bits, and raises #PF with CR2 and the error code (P, W/R, U/S) on a missing or forbidden
 * page. 4 MiB pages (CR4.PSE) are supported, and global pages (CR4.PGE): a translation from an entry with G set
 * survives a CR3 load, and goes only by INVLPG or a CR0/CR4 write. PAE is not supported (CPUID does not report it).
 */
public final class Mmu {

    private static final int BITS = 10;
    static final int SLOTS = 1 << BITS;
    static final int VALID = 1, USER = 2;

    private final Cpu cpu;
    private final PhysicalMemory mem;
    private final int[] readTag = new int[SLOTS];
    private final int[] writeTag = new int[SLOTS];
    private final int[] frame = new int[SLOTS];
    /** Slots whose translation came from a global entry while CR4.PGE was set. */
    private final boolean[] global = new boolean[SLOTS];
    /** This TLB's pages that are plain RAM, for the CPU's memory fast path: its slot lives only while ours does. */
    private final RamTlb ramTlb = new RamTlb();

    public Mmu(Cpu cpu, PhysicalMemory mem) {
        this.cpu = cpu;
        this.mem = mem;
    }

    /** Forgets every cached translation, global ones too (CR0 and CR4 writes). */
    public void flush() {
        ramTlb.flush();
        java.util.Arrays.fill(readTag, 0);
        java.util.Arrays.fill(writeTag, 0);
        java.util.Arrays.fill(global, false);
    }

    /** Forgets the translations that are not global (a CR3 load). */
    public void flushNonGlobal() {
        for (int slot = 0; slot < SLOTS; slot++) {
            if (!global[slot]) {
                ramTlb.drop(slot);
                readTag[slot] = 0;
                writeTag[slot] = 0;
            }
        }
    }

    /** Forgets the translation of one linear page (INVLPG). */
    public void flush(int linear) {
        int slot = (linear >>> 12) & (SLOTS - 1);
        ramTlb.drop(slot);
        readTag[slot] = 0;
        writeTag[slot] = 0;
        global[slot] = false;
    }

    /** The CPU's memory fast path, kept within this TLB. */
    public RamTlb ramTlb() {
        return ramTlb;
    }

    /** Physical address of {@code linear} for an access by code at {@code user} level (CPL 3). */
    public int translate(int linear, boolean write, boolean user) {
        int slot = (linear >>> 12) & (SLOTS - 1);
        int tag = (linear & 0xFFFFF000) | (user ? USER : 0) | VALID;
        if ((write ? writeTag[slot] : readTag[slot]) == tag) {
            return frame[slot] | (linear & 0xFFF);
        }
        return walk(linear, write, user, slot, tag);
    }

    /**
     * The physical address {@code linear} maps to, looked up as a debugger would: no TLB fill, no accessed or
     * dirty bit set, no fault. Returns -1 when the page is not present.
     */
    public long peek(int linear) {
        int slot = (linear >>> 12) & (SLOTS - 1);
        int page = (linear & 0xFFFFF000) | VALID;
        if ((readTag[slot] & ~USER) == page) {
            return (frame[slot] | (linear & 0xFFF)) & 0xFFFFFFFFL;
        }
        int pde = mem.readTableEntry((cpu.cr3 & 0xFFFFF000) + ((linear >>> 22) << 2));
        if ((pde & 1) == 0) {
            return -1;
        }
        if ((pde & 0x80) != 0 && (cpu.cr4 & 0x10) != 0) {
            return ((pde & 0xFFC00000) | (linear & 0x3FFFFF)) & 0xFFFFFFFFL;
        }
        int pte = mem.readTableEntry((pde & 0xFFFFF000) + (((linear >>> 12) & 0x3FF) << 2));
        return (pte & 1) == 0 ? -1 : ((pte & 0xFFFFF000) | (linear & 0xFFF)) & 0xFFFFFFFFL;
    }

    /** Sees one cached translation (the monitor's {@code info tlb}). */
    @FunctionalInterface
    public interface EntryVisitor {
        void entry(int linearPage, int physicalPage, boolean writable, boolean user, boolean global);
    }

    /** Shows {@code visitor} every translation the TLB holds, in slot order; changes nothing. */
    public void forEachEntry(EntryVisitor visitor) {
        for (int slot = 0; slot < SLOTS; slot++) {
            int tag = readTag[slot];
            if ((tag & VALID) != 0) {
                visitor.entry(tag & 0xFFFFF000, frame[slot], writeTag[slot] == tag, (tag & USER) != 0, global[slot]);
            }
        }
    }

    private int walk(int linear, boolean write, boolean user, int slot, int tag) {
        int pdeAddr = (cpu.cr3 & 0xFFFFF000) + ((linear >>> 22) << 2);
        int pde = mem.readTableEntry(pdeAddr);
        if ((pde & 1) == 0) {
            throw fault(linear, write, user, false);
        }
        if ((pde & 0x80) != 0 && (cpu.cr4 & 0x10) != 0) {
            return largePage(linear, write, user, slot, tag, pdeAddr, pde);
        }
        int pteAddr = (pde & 0xFFFFF000) + (((linear >>> 12) & 0x3FF) << 2);
        int pte = mem.readTableEntry(pteAddr);
        if ((pte & 1) == 0) {
            throw fault(linear, write, user, false);
        }
        int both = pde & pte;
        if (user && (both & 4) == 0) {
            throw fault(linear, write, user, true);
        }
        boolean writable = (both & 2) != 0 || (!user && (cpu.cr0 & 0x10000) == 0);
        if (write && !writable) {
            throw fault(linear, write, user, true);
        }
        if ((pde & 0x20) == 0) {
            mem.writeTableEntry(pdeAddr, pde | 0x20);
        }
        int newPte = pte | 0x20 | (write ? 0x40 : 0);
        if (newPte != pte) {
            mem.writeTableEntry(pteAddr, newPte);
        }
        return fill(slot, tag, pte & 0xFFFFF000, write || ((newPte & 0x40) != 0 && writable), linear, pte);
    }

    /** A 4 MiB page (CR4.PSE and PDE.PS): the directory entry is the only level. */
    private int largePage(int linear, boolean write, boolean user, int slot, int tag, int pdeAddr, int pde) {
        if (user && (pde & 4) == 0) {
            throw fault(linear, write, user, true);
        }
        boolean writable = (pde & 2) != 0 || (!user && (cpu.cr0 & 0x10000) == 0);
        if (write && !writable) {
            throw fault(linear, write, user, true);
        }
        int newPde = pde | 0x20 | (write ? 0x40 : 0);
        if (newPde != pde) {
            mem.writeTableEntry(pdeAddr, newPde);
        }
        return fill(slot, tag, (pde & 0xFFC00000) | (linear & 0x3FF000), write || ((newPde & 0x40) != 0 && writable),
                linear, pde);
    }

    private int fill(int slot, int tag, int frameAddress, boolean writeOk, int linear, int entry) {
        ramTlb.drop(slot);
        frame[slot] = frameAddress;
        if (readTag[slot] != tag) {
            writeTag[slot] = 0; // the slot changes page: its write permission must be earned again
        }
        // a slot holds one page; it is global only while that page's entry says so (G, bit 8) under CR4.PGE
        global[slot] = (entry & 0x100) != 0 && (cpu.cr4 & 0x80) != 0;
        readTag[slot] = tag;
        if (writeOk) {
            writeTag[slot] = tag;
        }
        return frameAddress | (linear & 0xFFF);
    }

    private CpuFault fault(int linear, boolean write, boolean user, boolean present) {
        cpu.cr2 = linear;
        return new CpuFault(Vectors.PF, (present ? 1 : 0) | (write ? 2 : 0) | (user ? 4 : 0));
    }
}
