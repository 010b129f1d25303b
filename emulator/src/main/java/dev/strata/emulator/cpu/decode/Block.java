package dev.strata.emulator.cpu.decode;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.exception.CpuFault;

/**
 * A run of pre-decoded instructions starting at one physical address, ending at a control transfer or an
 * instruction that changes how the following code runs. Valid while its code pages keep their generation.
 */
public final class Block {

    public final Insn[] insns;
    /** The handlers and lengths again, in flat arrays: the run loop reads them without going through the Insn. */
    private final Exec[] execs;
    private final int[] lengths;
    public final int physical;
    public final boolean code32;
    public final int page0, page1;
    public final int gen0, gen1;
    /** Bytes of code the block covers, so a lookup can refuse it where a 16-bit IP would wrap inside it. */
    public final int span;

    /**
     * Links to the two most recent successors (taken and fall-through), keyed by CS base and EIP, valid while
     * {@link #linkEpoch} equals the cache's epoch: any code write or flush kills every link at once.
     */
    Block next0, next1;
    int nextEip0, nextEip1, nextBase0, nextBase1;
    int linkEpoch = -1;
    boolean replaceSecond;

    public Block(Insn[] insns, int physical, boolean code32, int page0, int page1, int gen0, int gen1) {
        int bytes = 0;
        this.execs = new Exec[insns.length];
        this.lengths = new int[insns.length];
        for (int k = 0; k < insns.length; k++) {
            bytes += insns[k].len;
            execs[k] = insns[k].exec;
            lengths[k] = insns[k].len;
        }
        this.span = bytes;
        this.insns = insns;
        this.physical = physical;
        this.code32 = code32;
        this.page0 = page0;
        this.page1 = page1;
        this.gen0 = gen0;
        this.gen1 = gen1;
    }

    /**
     * Runs at most {@code max} instructions; stops early when an instruction asks to leave the block
     * (self-modifying code, HLT). Returns how many ran.
     */
    public int run(Cpu c, int max) {
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
