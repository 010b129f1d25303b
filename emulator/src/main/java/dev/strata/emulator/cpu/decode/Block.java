package dev.strata.emulator.cpu.decode;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.exception.CpuFault;
import dev.strata.emulator.memory.PhysicalMemory;

/**
 * A run of pre-decoded instructions starting at one physical address, ending at a control transfer or an
 * instruction that changes how the following code runs; it may go on across one direct JMP or CALL to code on the
 * same page, and after such a CALL past the callee's RET at the return address (a superblock: the run loop then
 * finds one block where it found two or three). Valid until a write touches its bytes: it knows the byte ranges
 * it covers (two at most, on one or two physical pages), so writes to data beside it leave it alone.
 */
public final class Block {

    /**
     * Runs in which a new translation does one pass and returns, even when it could go round again by itself: the
     * run loop then goes straight back into it, which does the same. The JVM compiles a method after a few hundred
     * calls, but a loop inside one only after tens of thousands of back edges (on-stack replacement), so a loop
     * translation that went round from its first call ran its first million instructions in the JVM's bytecode
     * interpreter, slower than the interpreter it replaced: in the DOS loop of {@code strata bench guests} C1
     * compiled it 50-100 ms sooner this way, and C2 compiled it once instead of twice (on-stack and then as a
     * method, 35 ms each). Once it is compiled, a thousand passes through the run loop cost well under a millisecond.
     */
    static final int SINGLE_PASS_RUNS = 1000;

    public final Insn[] insns;
    /**
     * The block's translation, once it is hot (see {@link Cpu#translateHot}); dropped when the block dies. Set by
     * the translator's thread and read without synchronisation on purpose: a translation is an object without
     * fields of a class the JVM has initialised (class initialisation is itself synchronised), so the CPU thread sees
     * null (and interprets) or a complete translation. A volatile read here cost the interpreter a third of its
     * speed on the register loop (212 -> 131 MIPS): HotSpot reloads every field after it.
     */
    private CompiledBlock compiled;
    /**
     * Interpreted instructions after which a block is translated even before the CPU's {@link Cpu#interpretedRuns}-th
     * run (15,000 under {@code --jit on}): blocks of more than 8 instructions get hot sooner, as each of their runs
     * costs the interpreter more. In the Linux boot the kernel's unrolled hash runs its 64-instruction blocks 14,700
     * times, which never made them hot by runs alone (a million interpreted instructions each); in all 145 blocks ran
     * more than 200,000 instructions each in the interpreter, 83 million together. The boot to the shell, alternating
     * with the build before: kernel unpacked by Strata 7.37 against 7.70 s (8 pairs, medians; CPU thread 6.34 against
     * 6.92 s), the kernel's own decompressor 14.58 against 16.09 s (4 pairs, every one sooner), for 0.3-1.5 s more of
     * the JIT compilers' time. Half and twice this were the same within the noise, blocks of at most 32 instructions
     * slower. (Earlier, on a build whose boot took twice as long, such a weighting had saved 2.6 % of the CPU thread
     * and no wall time.)
     */
    static final int HOT_INSTRUCTIONS = 120_000;

    /** Runs so far in the interpreter, counted only while the CPU translates. */
    private int runs;
    /**
     * Interpreted runs after which the block has run {@link #HOT_INSTRUCTIONS} (at least one); the CPU's
     * {@link Cpu#interpretedRuns} caps it.
     */
    private final int hotRuns;
    /** Runs of the current translation so far, counted up to {@link #SINGLE_PASS_RUNS}. */
    private int translatedRuns;
    /** The handlers and lengths again, in flat arrays: the run loop reads them without going through the Insn. */
    private final Exec[] execs;
    private final int[] lengths;
    public final int physical;
    public final boolean code32;
    public final int page0, page1;
    /** The page offsets its bytes cover: [from0, to0) on page0 and [from1, to1) on page1. */
    final int from0, to0, from1, to1;
    /** The 64-byte lines those bytes lie in, for the memory's code-line masks. */
    final long lines0, lines1;
    /** Cleared when a write touches the block's bytes (or the cache drops it); never set again. */
    boolean valid = true;
    /**
     * A number the cache gives each block it registers, so that the CPU can say which block runs with an int: a
     * reference stored on every block would cost a garbage collector's write barrier each time.
     */
    int serial = -1;
    /**
     * Where each instruction lies, as its EIP less the first one's ({@code n + 1} entries; the last is where the last
     * instruction's bytes end). Past a followed JMP or CALL the next entry is the jump's target, past a followed RET
     * its CALL's return address.
     */
    private final int[] offsets;
    /**
     * The lowest and highest of those offsets and of the instructions' ends, so a lookup can refuse the block where
     * a 16-bit IP would wrap inside it.
     */
    public final int lowestOffset, highestOffset;
    /**
     * The block lies on one page and ends in a near relative branch (Jcc, JMP, LOOP, JCXZ) whose target, or whose
     * next instruction, is the block's first: the next block can then be this one again, so its translation can go
     * round without a lookup. Near branches keep CS, and every instruction that could change which physical bytes
     * that address fetches (CR0, CR3, INVLPG, LMSW, segment loads) ends a block, so it can only be the last. (While
     * any block ending in such a branch counted, three in four of a Linux boot's translations were written, and
     * named, as loops that could never go round.)
     */
    public final boolean branchesBackToItself;
    /** False for an instruction that wraps IP, decoded afresh each time: lookups never return it. */
    final boolean reusable;

    /**
     * What an empty successor link points at: a block that is never {@link #valid}. Every int is an EIP and a CS
     * base a guest can have, so no key marks a link empty; with a null there, a jump to EIP FFFFFFFFh matched the
     * empty link's EIP (-1) and the lookup threw instead of finding the block.
     */
    static final Block NO_LINK = new Block();

    /**
     * Links to the two most recent successors (taken and fall-through), keyed by CS base and EIP, valid while
     * {@link #linkEpoch} equals the cache's epoch: any code write or flush kills every link at once. An empty one is
     * {@link #NO_LINK}.
     */
    Block next0 = NO_LINK, next1 = NO_LINK;
    int nextEip0, nextEip1, nextBase0, nextBase1;
    int linkEpoch = -1;
    boolean replaceSecond;

    /** {@link #NO_LINK}: no instructions, no bytes, never valid. */
    private Block() {
        insns = new Insn[0];
        execs = new Exec[0];
        lengths = new int[0];
        offsets = new int[] {0};
        physical = -1;
        code32 = false;
        page0 = page1 = -1;
        from0 = to0 = from1 = to1 = 0;
        lines0 = lines1 = 0;
        lowestOffset = highestOffset = 0;
        hotRuns = Integer.MAX_VALUE;
        branchesBackToItself = false;
        reusable = false;
        valid = false;
    }

    /**
     * A block whose bytes run from {@code physical} over {@code page0} into {@code page1}; {@code wholePages}
     * claims both pages entirely (for code whose bytes are not contiguous, such as an instruction wrapping IP).
     */
    public Block(Insn[] insns, int physical, boolean code32, int page0, int page1, boolean wholePages) {
        this(insns, contiguous(insns), physical, code32, page0, page1, wholePages);
    }

    /**
     * A block whose instructions lie at {@code offsets} from its first ({@link #offset}; the array is kept, not
     * copied). Where they are not one after another (the block went on at a jump's target, and maybe on after the
     * callee's RET), all its bytes lie on {@code page0}, in at most two runs.
     */
    public Block(Insn[] insns, int[] offsets, int physical, boolean code32, int page0, int page1,
                 boolean wholePages) {
        int n = insns.length;
        this.execs = new Exec[n];
        this.lengths = new int[n];
        this.offsets = offsets;
        int low = 0, high = 0;
        boolean contiguous = true;
        for (int k = 0; k < n; k++) {
            lengths[k] = insns[k].len();
            int end = offsets[k] + lengths[k];
            low = Math.min(low, offsets[k]);
            high = Math.max(high, end);
            contiguous &= offsets[k + 1] == end;
            int op = insns[k].opcode();
            boolean followedReturn = k < n - 1 && offsets[k + 1] != end && (op == 0xC3 || op == 0xC2);
            execs[k] = followedReturn ? new ReturnCheck(insns[k].exec(), offsets[k + 1] - offsets[k], code32)
                    : insns[k].exec();
        }
        this.lowestOffset = low;
        this.highestOffset = high;
        this.hotRuns = Math.max(1, HOT_INSTRUCTIONS / n);
        this.reusable = !wholePages;
        this.insns = insns;
        this.physical = physical;
        this.code32 = code32;
        this.page0 = page0;
        this.page1 = page1;
        int offset = physical & 0xFFF;
        int end = offset + offsets[n];
        if (!contiguous) {
            int[] runs = runs(offsets, lengths);
            from0 = offset + runs[0];
            to0 = offset + runs[1];
            from1 = offset + runs[2];
            to1 = offset + runs[3];
        } else if (wholePages || (end > 0x1000 && page1 == page0)) {
            from0 = from1 = 0;
            to0 = to1 = 0x1000;
        } else {
            from0 = offset;
            to0 = Math.min(end, 0x1000);
            from1 = 0;
            to1 = end > 0x1000 ? end - 0x1000 : 0;
        }
        lines0 = PhysicalMemory.lineMask(from0, to0);
        lines1 = PhysicalMemory.lineMask(from1, to1);
        branchesBackToItself = page0 == page1 && goesBackToItsStart(insns[n - 1], offsets[n - 1], code32);
    }

    /**
     * True when {@code last}, at {@code offset} from the block's start, is a near relative branch (Jcc, JMP, LOOP,
     * JCXZ) whose target or next instruction is the block's start: both are known when it is decoded (the next one
     * is the start where the block followed a jump back to just before it).
     */
    private static boolean goesBackToItsStart(Insn last, int offset, boolean code32) {
        int op = last.opcode();
        boolean relative = (op >= 0x70 && op <= 0x7F) || (op >= 0x180 && op <= 0x18F) || op == 0xEB || op == 0xE9
                || (op >= 0xE0 && op <= 0xE3);
        int mask = code32 ? -1 : 0xFFFF;
        int end = offset + last.len();
        return relative && (((end + last.imm()) & mask) == 0 || (end & mask) == 0);
    }

    private static int[] contiguous(Insn[] insns) {
        int[] offsets = new int[insns.length + 1];
        for (int k = 0; k < insns.length; k++) {
            offsets[k + 1] = offsets[k] + insns[k].len();
        }
        return offsets;
    }

    /**
     * The instructions' bytes as two runs [from, to) of offsets, the lower first (the second empty when they
     * make one run); more than two is the decoder's error.
     */
    private static int[] runs(int[] offsets, int[] lengths) {
        int n = lengths.length;
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) {
            order[k] = k;
        }
        java.util.Arrays.sort(order, (x, y) -> Integer.compare(offsets[x], offsets[y]));
        int[] runs = new int[4];
        int count = 0;
        int from = offsets[order[0]], to = from;
        for (int x : order) {
            if (offsets[x] > to) {
                if (count == 2) {
                    throw new IllegalStateException("a block's bytes in more than two runs");
                }
                runs[count * 2] = from;
                runs[count * 2 + 1] = to;
                count++;
                from = offsets[x];
            }
            to = Math.max(to, offsets[x] + lengths[x]);
        }
        if (count == 2) {
            throw new IllegalStateException("a block's bytes in more than two runs");
        }
        runs[count * 2] = from;
        runs[count * 2 + 1] = to;
        return runs;
    }

    /** The handler the interpreter runs for instruction {@code k} (a RET the block goes on after checks its target). */
    public Exec exec(int k) {
        return execs[k];
    }

    /**
     * The EIP of instruction {@code k} less the block's first EIP ({@code k} = the number of instructions: where the
     * last one's bytes end).
     */
    public int offset(int k) {
        return offsets[k];
    }

    /** Takes a translation made in the background, unless the block died meanwhile. */
    public void install(CompiledBlock translation) {
        if (valid) {
            translatedRuns = 0;
            compiled = translation;
        }
    }

    /**
     * Drops {@code translation} if the block still runs it (the translation cache evicts it to stay in its budget):
     * the block is interpreted again and translated anew once it has been hot for as long again. Called on the
     * translator's thread: the CPU may run the old translation once more, which does exactly the same.
     */
    public boolean dropTranslation(CompiledBlock translation) {
        if (compiled != translation) {
            return false;
        }
        compiled = null;
        runs = 0;
        return true;
    }

    /**
     * Lets the block ask for its translation again after as many runs as made it hot, at most {@code runs} (the
     * translator was busy).
     */
    public void retranslateAfter(int runs) {
        this.runs -= Math.min(runs, hotRuns);
    }

    /** Marks the block dead (a write touched it, or the cache was flushed); true when that dropped a translation. */
    boolean retire() {
        valid = false;
        boolean translated = compiled != null;
        compiled = null;
        return translated;
    }

    /** The number the cache gave the block (-1 before it registers it), unique among the blocks it holds. */
    public int serial() {
        return serial;
    }

    /** True while the block has a translation to run. */
    public boolean translated() {
        return compiled != null;
    }

    /** True while no write has touched the block's bytes since it was decoded. */
    public boolean valid() {
        return valid;
    }

    /** True when the page offsets [from, to) of {@code page} hold some of this block's bytes. */
    boolean overlaps(int page, int from, int to) {
        return (page == page0 && from < to0 && to > from0) || (page == page1 && from < to1 && to > from1);
    }

    /** The 64-byte lines of {@code page} holding this block's bytes. */
    long linesOn(int page) {
        return (page == page0 ? lines0 : 0) | (page == page1 ? lines1 : 0);
    }

    /**
     * Runs at most {@code max} instructions; stops early when an instruction asks to leave the block
     * (self-modifying code, HLT). Returns how many ran (a translation going round adds its earlier passes to the
     * instruction count itself: see {@link CompiledBlock#run}).
     */
    public int run(Cpu c, int max) {
        CompiledBlock t = compiled;
        if (t == null && c.interpretedRuns >= 0 && runs++ == Math.min(c.interpretedRuns, hotRuns) && valid) {
            // installed by the translation cache: at once with --jit all, else later by the translator's thread.
            // Not stored here: a null stored after the translator thread installed its result would lose it.
            t = c.translateHot(this);
        }
        if (t != null && max >= insns.length) {
            int budget = max;
            if (translatedRuns < SINGLE_PASS_RUNS) {
                translatedRuns++;
                budget = Math.min(max, 2 * insns.length - 1); // too little for a second pass
            }
            int n = t.run(c, budget);
            if (n >= 0) {
                c.translatedInstructions += n;
                return n;
            } // else it was made for flat segments, and one no longer is: interpreted, the block runs the same
        }
        Insn[] a = insns;
        Exec[] x = execs;
        int[] len = lengths;
        int n = Math.min(a.length, max);
        int ipMask = code32 ? -1 : 0xFFFF;
        int k = 0;
        try {
            for (; k < n; k++) {
                int eip = c.eip;
                c.curEip = eip;
                c.eip = (eip + len[k]) & ipMask;
                x[k].run(c, a[k]);
                if (c.blockExit) {
                    c.blockExit = false;
                    return k + 1;
                }
            }
        } catch (CpuFault fault) {
            c.instructions += k; // the ones that completed before the fault
            throw fault;
        }
        return n;
    }
}
