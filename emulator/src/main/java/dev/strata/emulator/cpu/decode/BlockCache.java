package dev.strata.emulator.cpu.decode;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.exception.CpuFault;
import dev.strata.emulator.memory.PhysicalMemory;

import java.util.ArrayList;

/**
 * Decoded blocks keyed by physical address in a direct-mapped table. Each block remembers the generation of the
 * page(s) its bytes came from; a guest write to a code page bumps that page's generation, which retires every
 * block decoded from it without searching for them.
 */
public final class BlockCache {

    private static final int MAX_INSNS = 64;
    private static final int TABLE_BITS = 14;

    private final Block[] table = new Block[1 << TABLE_BITS];
    private final int[] pageGen;
    private final int lastPage;
    private final PhysicalMemory mem;
    private final Decoder decoder;
    private final ArrayList<Insn> scratch = new ArrayList<>(MAX_INSNS);

    public long hits, misses;
    /** Bumped by every invalidation and flush; block links from an older epoch are ignored. */
    private int epoch;

    public BlockCache(PhysicalMemory mem, OpTable ops) {
        this.mem = mem;
        this.decoder = new Decoder(ops);
        this.lastPage = mem.size() >>> PhysicalMemory.PAGE_SHIFT;
        this.pageGen = new int[lastPage + 1];
    }

    private int pageIndex(int physical) {
        int p = physical >>> PhysicalMemory.PAGE_SHIFT;
        return p < lastPage ? p : lastPage;
    }

    /** Retires the blocks decoded from a physical page. */
    public void invalidatePage(int page) {
        pageGen[page < lastPage && page >= 0 ? page : lastPage]++;
        epoch++;
    }

    /** Forgets every block's successor links (the blocks stay). */
    public void dropLinks() {
        epoch++;
    }

    /** Drops everything (mode switches, A20 changes). */
    public void flush() {
        java.util.Arrays.fill(table, null);
        epoch++;
    }

    /**
     * Finds the block at CS:EIP, first through {@code prev}'s successor links (no hashing, no generation checks),
     * then through the table; links the result to {@code prev}.
     */
    public Block next(Cpu c, Block prev) {
        int eip = c.eip;
        int csBase = c.seg[Cpu.CS].base;
        if (prev == null) {
            return lookup(c);
        }
        if (prev.linkEpoch == epoch) {
            if (prev.nextEip0 == eip && prev.nextBase0 == csBase) {
                hits++;
                return prev.next0;
            }
            if (prev.nextEip1 == eip && prev.nextBase1 == csBase) {
                hits++;
                return prev.next1;
            }
        } else {
            prev.linkEpoch = epoch;
            prev.next0 = null;
            prev.next1 = null;
            prev.nextEip0 = prev.nextEip1 = -1;
        }
        Block b = lookup(c);
        // keep the two latest successors, replacing them in turn
        if (prev.next0 == null || prev.replaceSecond) {
            prev.next0 = b;
            prev.nextEip0 = eip;
            prev.nextBase0 = csBase;
        } else {
            prev.next1 = b;
            prev.nextEip1 = eip;
            prev.nextBase1 = csBase;
        }
        prev.replaceSecond = !prev.replaceSecond && prev.next1 != null;
        return b;
    }

    /** Finds or decodes the block at CS:EIP. */
    public Block lookup(Cpu c) {
        int csBase = c.seg[Cpu.CS].base;
        boolean code32 = c.seg[Cpu.CS].big();
        int phys = mem.physical(c.translate(csBase + c.eip));
        int slot = (phys ^ (phys >>> TABLE_BITS)) & ((1 << TABLE_BITS) - 1);
        Block b = table[slot];
        if (b != null && b.physical == phys && b.code32 == code32 && b.gen0 == pageGen[b.page0]
                && b.gen1 == pageGen[b.page1] && (code32 || c.eip + b.span <= 0x10000)) {
            hits++;
            return b;
        }
        misses++;
        b = decode(c, csBase, phys, code32);
        if (b != null) {
            table[slot] = b;
            return b;
        }
        return decodeUncached(c, csBase, phys, code32);
    }

    private Block decode(Cpu c, int csBase, int phys, boolean code32) {
        scratch.clear();
        int eip = c.eip;
        int ipMask = code32 ? -1 : 0xFFFF;
        int page0 = pageIndex(phys);
        int page1 = page0;
        do {
            Insn i;
            int cr2 = c.cr2;
            try {
                i = decoder.decode(c, csBase, eip, code32);
            } catch (CpuFault pageFault) {
                if (scratch.isEmpty()) {
                    throw pageFault; // the instruction to run now cannot be fetched
                }
                c.cr2 = cr2; // a later one: the block ends before it, and faults only if reached
                break;
            }
            if (decoder.wrapped) {
                if (scratch.isEmpty()) {
                    return null;
                }
                break;
            }
            int endPage = pageIndex(mem.physical(c.translate(decoder.endLinear())));
            if (endPage != page0 && endPage != page1) {
                if (page1 != page0) {
                    break;
                }
                page1 = endPage;
            }
            scratch.add(i);
            eip = (eip + i.len) & ipMask;
            if (decoder.endsBlock) {
                break;
            }
        } while (scratch.size() < MAX_INSNS);
        mem.markCode(page0);
        mem.markCode(page1);
        return new Block(scratch.toArray(new Insn[0]), phys, code32, page0, page1, pageGen[page0], pageGen[page1]);
    }

    /** A single instruction that wraps the segment offset: decoded afresh each time, never cached. */
    private Block decodeUncached(Cpu c, int csBase, int phys, boolean code32) {
        Insn i = decoder.decode(c, csBase, c.eip, code32);
        int page0 = pageIndex(phys);
        int page1 = pageIndex(mem.physical(c.translate(decoder.endLinear())));
        mem.markCode(page0);
        mem.markCode(page1);
        return new Block(new Insn[] {i}, phys, code32, page0, page1, pageGen[page0], pageGen[page1]);
    }
}
