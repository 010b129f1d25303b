package dev.strata.emulator.cpu.decode;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.exception.CpuFault;
import dev.strata.emulator.memory.PhysicalMemory;

import java.util.ArrayList;

/**
 * Decoded blocks keyed by physical address. Each page keeps a list of the blocks with bytes on it, which is where a
 * block lives until a guest write to its bytes retires it ({@link PhysicalMemory} filters writes by 64-byte line,
 * and only the blocks whose bytes a write touches die, so guests that keep data beside their code (DOS) keep their
 * blocks); a direct-mapped table in front finds most blocks without walking a list.
 */
public final class BlockCache {

    private static final int MAX_INSNS = 64;
    private static final int TABLE_BITS = 16;
    /**
     * Bits of {@link #linkedPages}: 4 KiB, cleared whenever the links die (a Linux boot loads CR3 16,000 times and
     * runs 70,000 INVLPGs, nearly all of its temporary data mappings).
     */
    private static final int LINKED_PAGE_BITS = 1 << 15;

    private final Block[] table = new Block[1 << TABLE_BITS];
    /** Per page (the last entry stands for everything beyond RAM): the blocks with bytes on it. */
    private final Block[][] pageBlocks;
    private final int[] pageCount;
    /** Pages whose list may be non-empty, so a flush touches only those. */
    private final boolean[] pageListed;
    /**
     * Per page, the exact bytes its listed blocks cover (4096 bits, made when the page first holds a block) and
     * the 64-byte lines they lie in. Memory filters writes by line only; DOS writes its variables beside its code
     * in the same line thousands of times a second, and the byte test answers those without walking the list.
     */
    private final long[][] pageBytes;
    private final long[] pageLines;
    private int[] listedPages = new int[256];
    private int listedCount;
    private final int lastPage;
    private final PhysicalMemory mem;
    private final Decoder decoder;
    private final ArrayList<Insn> scratch = new ArrayList<>(MAX_INSNS);
    /** The offsets of the instructions {@link #decode} gathers, as {@link Block#offset} gives them. */
    private final int[] scratchOffsets = new int[MAX_INSNS + 1];

    public long hits, misses;
    /** Blocks the run loop had to look up because no link of the block before led there ({@link #found}). */
    public long lookups;
    /** Translations thrown away with their blocks (code written, or the cache flushed). */
    public long droppedTranslations;
    /** Bumped by every invalidation and flush; block links from an older epoch are ignored. */
    private int epoch;
    /**
     * The linear pages the links of this epoch lead into (each linked block's first page and the next), as bits
     * hashed by page number: an INVLPG of any other page leaves the links standing
     * ({@link #dropLinksThrough}). Two pages sharing a bit only cost links that could have stayed.
     */
    private final long[] linkedPages = new long[LINKED_PAGE_BITS / 64];
    private boolean anyLinkedPage;
    /** The next block's serial (wrapping after 2^31 blocks, far more than a cache holds at once). */
    private int serials;

    public BlockCache(PhysicalMemory mem, OpTable ops) {
        this.mem = mem;
        this.decoder = new Decoder(ops);
        this.lastPage = mem.size() >>> PhysicalMemory.PAGE_SHIFT;
        this.pageBlocks = new Block[lastPage + 1][];
        this.pageCount = new int[lastPage + 1];
        this.pageListed = new boolean[lastPage + 1];
        this.pageBytes = new long[lastPage + 1][];
        this.pageLines = new long[lastPage + 1];
    }

    private int pageIndex(int physical) {
        int p = physical >>> PhysicalMemory.PAGE_SHIFT;
        return p < lastPage ? p : lastPage;
    }

    /** Retires the blocks decoded from a physical page. */
    public void invalidatePage(int page) {
        int index = page < lastPage && page >= 0 ? page : lastPage;
        Block[] list = pageBlocks[index];
        for (int k = 0, n = pageCount[index]; k < n; k++) {
            if (list[k].retire()) {
                droppedTranslations++;
            }
            list[k] = null;
        }
        pageCount[index] = 0;
        forgetBytes(index);
    }

    private void forgetBytes(int page) {
        if (pageBytes[page] != null) {
            java.util.Arrays.fill(pageBytes[page], 0);
        }
        pageLines[page] = 0;
    }

    /** Rebuilds a page's code bytes and lines from its listed blocks (after some left the list). */
    private void rebuildBytes(int page) {
        forgetBytes(page);
        Block[] list = pageBlocks[page];
        for (int k = 0, n = pageCount[page]; k < n; k++) {
            addBytes(page, list[k]);
        }
    }

    /** Marks a block's bytes and lines on one of its pages. */
    private void addBytes(int page, Block b) {
        long[] bits = pageBytes[page];
        if (bits == null) {
            bits = pageBytes[page] = new long[0x1000 >>> 6];
        }
        if (page == b.page0) {
            setBits(bits, b.from0, b.to0);
        }
        if (page == b.page1) {
            setBits(bits, b.from1, b.to1);
        }
        pageLines[page] |= b.linesOn(page);
    }

    private static void setBits(long[] bits, int from, int to) {
        for (int k = from; k < to; ) {
            int word = k >>> 6;
            int end = Math.min(to, (word + 1) << 6);
            bits[word] |= (-1L << k) & (-1L >>> (64 - (end - (word << 6))));
            k = end;
        }
    }

    private static boolean anyBits(long[] bits, int from, int to) {
        for (int k = from; k < to; ) {
            int word = k >>> 6;
            int end = Math.min(to, (word + 1) << 6);
            if ((bits[word] & (-1L << k) & (-1L >>> (64 - (end - (word << 6))))) != 0) {
                return true;
            }
            k = end;
        }
        return false;
    }

    /**
     * Retires the blocks with bytes in the {@code length} bytes at {@code physical} (inside one page) and marks
     * again, in memory, the code lines of the page's surviving blocks. Returns true when the block with serial
     * {@code running} ({@link Block#serial()}) died, or, for {@code running} -1 (no block ran yet), when any did.
     */
    public boolean invalidateBytes(int physical, int length, int running) {
        int page = pageIndex(physical);
        int from = physical & 0xFFF;
        int to = from + length;
        long[] bits = pageBytes[page];
        if (bits == null || !anyBits(bits, from, to)) {
            mem.markCodeLines(page, pageLines[page]); // data beside code: every block stays
            return false;
        }
        Block[] list = pageBlocks[page];
        int n = pageCount[page];
        int kept = 0;
        boolean killed = false;
        for (int k = 0; k < n; k++) {
            Block b = list[k];
            if (!b.valid) {
                continue;
            }
            if (b.overlaps(page, from, to)) {
                if (b.retire()) {
                    droppedTranslations++;
                }
                killed |= running < 0 || b.serial == running;
                continue;
            }
            list[kept++] = b;
        }
        if (list != null) {
            java.util.Arrays.fill(list, kept, n, null);
        }
        pageCount[page] = kept;
        rebuildBytes(page);
        mem.markCodeLines(page, pageLines[page]);
        return killed;
    }

    /** Adds a new block to the list of a page it has bytes on, dropping dead and evicted blocks when full. */
    private void list(int page, Block b) {
        Block[] list = pageBlocks[page];
        int n = pageCount[page];
        if (list == null) {
            list = pageBlocks[page] = new Block[8];
        } else if (n == list.length) {
            n = compact(page, list, n);
            if (n > list.length / 2) {
                list = pageBlocks[page] = java.util.Arrays.copyOf(list, list.length * 2);
            }
        }
        if (!pageListed[page]) {
            pageListed[page] = true;
            if (listedCount == listedPages.length) {
                listedPages = java.util.Arrays.copyOf(listedPages, listedCount * 2);
            }
            listedPages[listedCount++] = page;
        }
        list[n] = b;
        pageCount[page] = n + 1;
        addBytes(page, b);
    }

    /**
     * Keeps the blocks still valid, whether or not the table still points at them: a block pushed out of its slot
     * by another is found again on this list, with its translation (the Linux kernel's code is larger than the
     * table, and dropping such blocks threw away and redid most of its translations). Instructions that wrap IP
     * are decoded afresh each time they run, so theirs go.
     */
    private int compact(int page, Block[] list, int n) {
        int kept = 0;
        for (int k = 0; k < n; k++) {
            Block b = list[k];
            if (b.valid && b.reusable) {
                list[kept++] = b;
            } else if (b.retire()) {
                droppedTranslations++;
            }
        }
        java.util.Arrays.fill(list, kept, n, null);
        pageCount[page] = kept;
        rebuildBytes(page);
        return kept;
    }

    static int slot(int phys) {
        return (phys ^ (phys >>> TABLE_BITS)) & ((1 << TABLE_BITS) - 1);
    }

    /**
     * Forgets every block's successor links (the blocks stay): links go by CS base and EIP, so they die with the
     * linear-to-physical mapping they were made under (CR3 loads, INVLPG).
     */
    public void dropLinks() {
        epoch++;
        if (anyLinkedPage) {
            java.util.Arrays.fill(linkedPages, 0);
            anyLinkedPage = false;
        }
    }

    /**
     * An INVLPG of the page at {@code linear}: {@link #dropLinks} if a link made since the links last died leads
     * into that page (by the mapping the INVLPG retires); links into other pages stay, their pages mapped as when
     * they were made. Operating systems invalidate their temporary data mappings far more often than code.
     */
    public void dropLinksThrough(int linear) {
        int bit = linkedPageBit(linear >>> 12);
        if ((linkedPages[bit >>> 6] & (1L << bit)) != 0) {
            dropLinks();
        }
    }

    private static int linkedPageBit(int page) {
        return (page ^ (page >>> 15)) & (LINKED_PAGE_BITS - 1);
    }

    /**
     * Notes that a link now leads to a block at linear {@code linear} (see {@link #linkedPages}): its page and the
     * next, where its bytes may run on (a block's jumps stay on its first page, and it is shorter than a page; the
     * next page counts even when it maps to the same frame, and so looks like no second page).
     */
    private void noteLinkedPages(int linear) {
        int page = linear >>> 12;
        int bit = linkedPageBit(page);
        linkedPages[bit >>> 6] |= 1L << bit;
        bit = linkedPageBit(page + 1);
        linkedPages[bit >>> 6] |= 1L << bit;
        anyLinkedPage = true;
    }

    /** What the cache holds, for the monitor's {@code info blocks}. */
    public record Census(int blocks, int instructions, int translated, int codePages) {
    }

    /** Counts the live blocks, their instructions and translations, and the pages with code. */
    public Census census() {
        int count = 0;
        int insns = 0;
        int translated = 0;
        int pages = 0;
        for (int p = 0; p < listedCount; p++) {
            int page = listedPages[p];
            Block[] list = pageBlocks[page];
            boolean code = false;
            for (int k = 0, n = pageCount[page]; k < n; k++) {
                Block b = list[k];
                if (b.valid) {
                    code = true;
                    if (b.page0 == page) { // a block on two pages counts once
                        count++;
                        insns += b.insns.length;
                        translated += b.translated() ? 1 : 0;
                    }
                }
            }
            pages += code ? 1 : 0;
        }
        return new Census(count, insns, translated, pages);
    }

    /** Drops everything (mode switches, A20 changes). Stale code lines in memory clear on their next write. */
    public void flush() {
        java.util.Arrays.fill(table, null);
        for (int k = 0; k < listedCount; k++) {
            int page = listedPages[k];
            invalidatePage(page);
            pageListed[page] = false;
        }
        listedCount = 0;
        dropLinks();
    }

    /**
     * Finds the block at CS:EIP, first through {@code prev}'s successor links (no hashing, no generation checks),
     * then through the table; links the result to {@code prev}. Only the links are tested here, so that the JIT
     * compiler inlines this into the run loop; the rest is {@link #found}.
     */
    public Block next(Cpu c, Block prev) {
        if (prev != null && prev.linkEpoch == epoch) {
            int eip = c.eip;
            int csBase = c.cs.base;
            if (prev.nextEip0 == eip && prev.nextBase0 == csBase && prev.next0.valid) {
                hits++;
                return prev.next0;
            }
            if (prev.nextEip1 == eip && prev.nextBase1 == csBase && prev.next1.valid) {
                hits++;
                return prev.next1;
            }
        }
        return found(c, prev);
    }

    /** Finds or decodes the block at CS:EIP, without links. */
    public Block lookup(Cpu c) {
        return found(c, null);
    }

    /**
     * The block at CS:EIP when {@code prev}'s links did not lead to it: from the table, its page's list or the
     * decoder, then linked to {@code prev} (when not null). One method on purpose: its bytecode stays above what
     * HotSpot's C2 inlines even at a hot call (FreqInlineSize, 325 bytes; {@code BlockCacheTest} checks), so
     * {@link #next} compiles small and is inlined into the run loop instead of being called for every block.
     */
    private Block found(Cpu c, Block prev) {
        lookups++;
        int eip = c.eip;
        int csBase = c.cs.base;
        if (prev != null && prev.linkEpoch != epoch) {
            prev.linkEpoch = epoch;
            prev.next0 = Block.NO_LINK;
            prev.next1 = Block.NO_LINK;
        }
        boolean code32 = c.cs.big();
        int phys = mem.physical(c.translate(csBase + eip));
        int slot = slot(phys);
        Block b = table[slot];
        if (b != null && b.physical == phys && fits(c, csBase, code32, b)) {
            hits++;
        } else {
            // pushed out of its slot by another block, it is still on its page's list
            b = null;
            int page = pageIndex(phys);
            Block[] list = pageBlocks[page];
            for (int k = 0, n = pageCount[page]; k < n && b == null; k++) {
                Block listed = list[k];
                if (listed.physical == phys && listed.reusable && fits(c, csBase, code32, listed)) {
                    b = listed;
                }
            }
            if (b != null) {
                table[slot] = b;
                hits++;
            } else {
                misses++;
                b = decode(c, csBase, phys, code32);
                if (b != null) {
                    table[slot] = b;
                } else {
                    b = decodeUncached(c, csBase, phys, code32);
                }
            }
        }
        if (prev != null) {
            noteLinkedPages(csBase + eip);
            // keep the two latest successors, replacing them in turn
            if (prev.next0 == Block.NO_LINK || prev.replaceSecond) {
                prev.next0 = b;
                prev.nextEip0 = eip;
                prev.nextBase0 = csBase;
            } else {
                prev.next1 = b;
                prev.nextEip1 = eip;
                prev.nextBase1 = csBase;
            }
            prev.replaceSecond = !prev.replaceSecond && prev.next1 != Block.NO_LINK;
        }
        return b;
    }

    /** True when {@code b}, found for CS:EIP at its physical address, can run there now. */
    private boolean fits(Cpu c, int csBase, boolean code32, Block b) {
        return b.code32 == code32 && b.valid
                && (code32 || (c.eip + b.lowestOffset >= 0 && c.eip + b.highestOffset <= 0x10000))
                && (b.page1 == b.page0 || secondPageMatches(c, csBase, b));
    }

    /**
     * True when the linear page after the block's first one still maps to the block's second physical page, as
     * it did when the block was decoded: blocks outlive CR3 loads and INVLPG, and only their first page is
     * looked up by physical address. A page that is not there (or not for this CPL) does not fault here, where
     * execution has not reached it: the block is decoded again and ends before it.
     */
    private boolean secondPageMatches(Cpu c, int csBase, Block b) {
        int nextPage = ((csBase + c.eip) & 0xFFFFF000) + 0x1000;
        int cr2 = c.cr2;
        try {
            return pageIndex(mem.physical(c.translate(nextPage))) == b.page1;
        } catch (CpuFault notMapped) {
            c.cr2 = cr2;
            return false;
        }
    }

    private Block decode(Cpu c, int csBase, int phys, boolean code32) {
        scratch.clear();
        decoder.startBlock();
        int eip = c.eip;
        int ipMask = code32 ? -1 : 0xFFFF;
        int page0 = pageIndex(phys);
        int page1 = page0;
        int[] offsets = scratchOffsets;
        int offset = 0;
        boolean jumped = false, returned = false;
        int callEnd = -1, calleeStart = 0;
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
            int endPage = pageIndex(decoder.endPhysical());
            if (endPage != page0 && endPage != page1) {
                if (page1 != page0 || jumped) {
                    break; // a block past a jump keeps to its first page
                }
                page1 = endPage;
            }
            offsets[scratch.size()] = offset;
            scratch.add(i);
            eip = (eip + i.len()) & ipMask;
            offset += i.len();
            if (decoder.endsBlock) {
                if (!jumped && page1 == page0 && goesOnAt(i, csBase, c.eip, eip, code32)) {
                    jumped = true;
                    callEnd = i.opcode() == 0xE8 ? offset : -1;
                    eip += i.imm();
                    offset += i.imm();
                    calleeStart = offset;
                } else if (callEnd >= 0 && !returned && returnsInto(i, code32, callEnd, calleeStart, offset)) {
                    returned = true;
                    eip = (c.eip + callEnd) & ipMask;
                    offset = callEnd;
                } else {
                    break;
                }
            }
        } while (scratch.size() < MAX_INSNS);
        offsets[scratch.size()] = offset;
        int[] layout = java.util.Arrays.copyOf(offsets, scratch.size() + 1);
        return register(new Block(scratch.toArray(new Insn[0]), layout, phys, code32, page0, page1, false));
    }

    /**
     * True when decoding may go on after {@code i}, a RET that ended the block so far, at the return address of the
     * CALL the block went on after ({@code callEnd}): a near RET of the code's operand size, when that address is
     * not among the callee's bytes decoded so far, [{@code calleeStart}, {@code calleeEnd}). The return address
     * is checked when the RET runs ({@link ReturnCheck}), since the callee may have changed its stack.
     */
    private static boolean returnsInto(Insn i, boolean code32, int callEnd, int calleeStart, int calleeEnd) {
        int op = i.opcode();
        return (op == 0xC3 || op == 0xC2) && i.size() == (code32 ? 2 : 1)
                && (callEnd < calleeStart || callEnd >= calleeEnd);
    }

    /**
     * True when decoding may go on at the target of {@code i}, which ended the block so far: a direct JMP or CALL of
     * the code's own operand size whose target lies on the page the block started on, outside the bytes decoded so
     * far (a jump back into them is a loop, which keeps its own block, one a translation can go round in), without
     * IP wrapping. On that page the target's bytes are at the same physical place whatever CS:EIP enters the block
     * later; its code-segment limit is checked when the jump runs, and the target's instruction is fetched as any.
     */
    private static boolean goesOnAt(Insn i, int csBase, int startEip, int nextEip, boolean code32) {
        int op = i.opcode();
        if ((op != 0xE8 && op != 0xE9 && op != 0xEB) || i.size() != (code32 ? 2 : 1)) {
            return false;
        }
        long target = code32 ? nextEip + i.imm() : (long) nextEip + i.imm();
        if (!code32 && (target < 0 || target > 0xFFFF)) {
            return false;
        }
        int start = csBase + startEip;
        int to = csBase + (int) target;
        return (to >>> 12) == (start >>> 12) && (to - start < 0 || (int) target - nextEip >= 0);
    }

    /** Lists a new block on its pages and marks its bytes' lines as code, so writes to them retire it. */
    private Block register(Block b) {
        b.serial = serials++ & Integer.MAX_VALUE;
        list(b.page0, b);
        mem.markCodeLines(b.page0, b.lines0);
        if (b.page1 != b.page0) {
            list(b.page1, b);
        }
        mem.markCodeLines(b.page1, b.lines1);
        return b;
    }

    /** A single instruction that wraps the segment offset: decoded afresh each time, never cached. */
    private Block decodeUncached(Cpu c, int csBase, int phys, boolean code32) {
        decoder.startBlock();
        Insn i = decoder.decode(c, csBase, c.eip, code32);
        int page0 = pageIndex(phys);
        int page1 = pageIndex(decoder.endPhysical());
        return register(new Block(new Insn[] {i}, phys, code32, page0, page1, true));
    }
}
