package dev.strata.emulator.cpu.string;

import static dev.strata.emulator.cpu.decode.OpSpec.BYTE;
import static dev.strata.emulator.cpu.decode.OpSpec.NO_IMM;
import static dev.strata.emulator.cpu.decode.OpSpec.VAR;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.Segment;
import dev.strata.emulator.cpu.alu.Alu;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.cpu.decode.OpTable;
import dev.strata.emulator.cpu.system.IoPermission;

/**
 * String instructions (MOVS, CMPS, STOS, LODS, SCAS, INS, OUTS) with REP/REPE/REPNE. The source segment honours
 * overrides; the destination is always ES. Registers are updated element by element, so a fault in the middle
 * restarts the instruction where it stopped.
 */
public final class StringInstructions {

    private static final int[] BYTES = {1, 2, 4};
    /**
     * Elements one execution of a REP instruction handles before it steps back onto itself, so interrupts are
     * taken between chunks of a long string operation, as the hardware takes them between iterations.
     */
    private static final int CHUNK = 4096;

    private StringInstructions() {
    }

    /** Leaves the block with EIP back on this instruction: the next run continues the repetition. */
    private static void restart(Cpu c) {
        c.eip = c.curEip;
        c.blockExit = true;
    }

    private static int step(Cpu c, int size) {
        return (c.eflags & Flags.DF) != 0 ? -BYTES[size] : BYTES[size];
    }

    private static void advance(Cpu c, int reg, int delta, int addrMask) {
        int v = c.r[reg] + delta;
        c.r[reg] = addrMask == -1 ? v : (c.r[reg] & 0xFFFF0000) | (v & 0xFFFF);
    }

    private static int count(Cpu c, Insn i) {
        return c.r[Cpu.ECX] & i.addrMask();
    }

    private static void decrementCount(Cpu c, Insn i) {
        advance(c, Cpu.ECX, -1, i.addrMask());
    }

    /** One element of a string instruction: move, compare, store, load or port transfer, then step the index. */
    @FunctionalInterface
    private interface Element {
        void run(Cpu c, Insn i, int delta);
    }

    /**
     * The REP/REPE/REPNE loop every string instruction shares: chunks of {@link #CHUNK} elements, ECX counted down
     * after each, and for CMPS/SCAS ({@code comparesFlags}) an early end when ZF disagrees with the prefix.
     * Callers pass a constant {@code element}; once this small method is inlined into them the JIT calls the
     * element directly, so sharing the loop costs the hot path nothing.
     */
    private static void repeat(Cpu c, Insn i, int d, Element element, boolean comparesFlags) {
        boolean whileEqual = i.rep() == 0xF3;
        for (int budget = CHUNK; count(c, i) != 0; budget--) {
            if (budget == 0) {
                restart(c);
                return;
            }
            element.run(c, i, d);
            decrementCount(c, i);
            if (comparesFlags && Flags.zf(c) != whileEqual) {
                return;
            }
        }
    }

    private static void movsOnce(Cpu c, Insn i, int d) {
        int am = i.addrMask();
        int v = c.read(i.size(), i.seg(), c.r[Cpu.ESI] & am);
        c.write(i.size(), Cpu.ES, c.r[Cpu.EDI] & am, v);
        advance(c, Cpu.ESI, d, am);
        advance(c, Cpu.EDI, d, am);
    }

    /** Elements of {@code bytes} that fit from offset {@code off} before the segment limit or the page ends. */
    private static int room(Cpu c, int s, int off, int bytes, int addrMask) {
        Segment sg = c.seg[s];
        // the window both reads and writes allow; expand-down segments (lo above 0) take the element loop
        long span = Math.min(sg.readSpan, sg.writeSpan);
        if (sg.lo != 0 || span < 0) {
            return 0;
        }
        long toLimit = Math.min(span, addrMask & 0xFFFFFFFFL) - (off & 0xFFFFFFFFL) + 1;
        int linear = c.translate(c.seg[s].base + off);
        int toPage = 0x1000 - (linear & 0xFFF);
        return (int) Math.min(toLimit, toPage) / bytes;
    }

    /**
     * REP MOVS going up: copies page-sized runs with one array copy each. Anything unusual (a run that would
     * straddle a page or the segment limit, MMIO, an overlapping destination) is left to the element loop.
     */
    private static void movsBulk(Cpu c, Insn i) {
        int bytes = BYTES[i.size()];
        int am = i.addrMask();
        for (int budget = CHUNK * 4; ; ) {
            int count = count(c, i);
            if (count == 0) {
                return;
            }
            if (budget <= 0) {
                restart(c);
                return;
            }
            int si = c.r[Cpu.ESI] & am;
            int di = c.r[Cpu.EDI] & am;
            int n = Math.min(count, Math.min(room(c, i.seg(), si, bytes, am), room(c, Cpu.ES, di, bytes, am)));
            if (n <= 0 || !c.mem.copyForward(c.translate(c.seg[i.seg()].base + si),
                    c.translateWrite(c.es.base + di), n * bytes)) {
                movsOnce(c, i, bytes); // one element the careful way (may fault), then try runs again
                decrementCount(c, i);
                budget -= bytes;
                continue;
            }
            budget -= n * bytes;
            advance(c, Cpu.ESI, n * bytes, am);
            advance(c, Cpu.EDI, n * bytes, am);
            advance(c, Cpu.ECX, -n, am);
        }
    }

    static final Exec MOVS = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int d = step(c, i.size());
            if (i.rep() == 0) {
                movsOnce(c, i, d);
                return;
            }
            if (d > 0) {
                movsBulk(c, i);
                return;
            }
            repeat(c, i, d, MOVS_ELEMENT, false);
        }
    };

    private static void stosOnce(Cpu c, Insn i, int d) {
        c.write(i.size(), Cpu.ES, c.r[Cpu.EDI] & i.addrMask(), c.r[Cpu.EAX]);
        advance(c, Cpu.EDI, d, i.addrMask());
    }

    /** REP STOS going up: fills page-sized runs at once, element by element at limits and outside RAM. */
    private static void stosBulk(Cpu c, Insn i) {
        int bytes = BYTES[i.size()];
        int am = i.addrMask();
        for (int budget = CHUNK * 4; ; ) {
            int count = count(c, i);
            if (count == 0) {
                return;
            }
            if (budget <= 0) {
                restart(c);
                return;
            }
            int di = c.r[Cpu.EDI] & am;
            int n = Math.min(count, room(c, Cpu.ES, di, bytes, am));
            if (n <= 0 || !c.mem.fillForward(c.translateWrite(c.es.base + di), n, c.r[Cpu.EAX], bytes)) {
                stosOnce(c, i, bytes);
                decrementCount(c, i);
                budget -= bytes;
                continue;
            }
            budget -= n * bytes;
            advance(c, Cpu.EDI, n * bytes, am);
            advance(c, Cpu.ECX, -n, am);
        }
    }

    static final Exec STOS = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int d = step(c, i.size());
            if (i.rep() == 0) {
                stosOnce(c, i, d);
                return;
            }
            if (d > 0) {
                stosBulk(c, i);
                return;
            }
            repeat(c, i, d, STOS_ELEMENT, false);
        }
    };

    private static void lodsOnce(Cpu c, Insn i, int d) {
        c.setReg(i.size(), Cpu.EAX, c.read(i.size(), i.seg(), c.r[Cpu.ESI] & i.addrMask()));
        advance(c, Cpu.ESI, d, i.addrMask());
    }

    static final Exec LODS = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int d = step(c, i.size());
            if (i.rep() == 0) {
                lodsOnce(c, i, d);
                return;
            }
            repeat(c, i, d, LODS_ELEMENT, false);
        }
    };

    private static void cmpsOnce(Cpu c, Insn i, int d) {
        int am = i.addrMask();
        int a = c.read(i.size(), i.seg(), c.r[Cpu.ESI] & am);
        int b = c.read(i.size(), Cpu.ES, c.r[Cpu.EDI] & am);
        Alu.sub(c, i.size(), a, b, 0);
        advance(c, Cpu.ESI, d, am);
        advance(c, Cpu.EDI, d, am);
    }

    static final Exec CMPS = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int d = step(c, i.size());
            if (i.rep() == 0) {
                cmpsOnce(c, i, d);
                return;
            }
            repeat(c, i, d, CMPS_ELEMENT, true);
        }
    };

    private static void scasOnce(Cpu c, Insn i, int d) {
        int b = c.read(i.size(), Cpu.ES, c.r[Cpu.EDI] & i.addrMask());
        Alu.sub(c, i.size(), c.getReg(i.size(), Cpu.EAX), b, 0);
        advance(c, Cpu.EDI, d, i.addrMask());
    }

    static final Exec SCAS = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int d = step(c, i.size());
            if (i.rep() == 0) {
                scasOnce(c, i, d);
                return;
            }
            repeat(c, i, d, SCAS_ELEMENT, true);
        }
    };

    private static void insOnce(Cpu c, Insn i, int d) {
        int off = c.r[Cpu.EDI] & i.addrMask();
        IoPermission.check(c, c.r[Cpu.EDX] & 0xFFFF, BYTES[i.size()]);
        // check the destination (limit, writability, page) before the port is read
        c.translateWrite(c.linearWrite(Cpu.ES, off, BYTES[i.size()]));
        int v = c.io.in(c.r[Cpu.EDX] & 0xFFFF, BYTES[i.size()]);
        c.write(i.size(), Cpu.ES, off, v);
        advance(c, Cpu.EDI, d, i.addrMask());
    }

    static final Exec INS = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int d = step(c, i.size());
            if (i.rep() == 0) {
                insOnce(c, i, d);
                return;
            }
            repeat(c, i, d, INS_ELEMENT, false);
        }
    };

    private static void outsOnce(Cpu c, Insn i, int d) {
        IoPermission.check(c, c.r[Cpu.EDX] & 0xFFFF, BYTES[i.size()]);
        int v = c.read(i.size(), i.seg(), c.r[Cpu.ESI] & i.addrMask());
        c.io.out(c.r[Cpu.EDX] & 0xFFFF, BYTES[i.size()], v);
        advance(c, Cpu.ESI, d, i.addrMask());
    }

    static final Exec OUTS = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
            int d = step(c, i.size());
            if (i.rep() == 0) {
                outsOnce(c, i, d);
                return;
            }
            repeat(c, i, d, OUTS_ELEMENT, false);
        }
    };

    private static final Element MOVS_ELEMENT = StringInstructions::movsOnce;
    private static final Element CMPS_ELEMENT = StringInstructions::cmpsOnce;
    private static final Element STOS_ELEMENT = StringInstructions::stosOnce;
    private static final Element LODS_ELEMENT = StringInstructions::lodsOnce;
    private static final Element SCAS_ELEMENT = StringInstructions::scasOnce;
    private static final Element INS_ELEMENT = StringInstructions::insOnce;
    private static final Element OUTS_ELEMENT = StringInstructions::outsOnce;

    public static void register(OpTable t) {
        t.op(0xA4, false, BYTE, NO_IMM, MOVS);
        t.op(0xA5, false, VAR, NO_IMM, MOVS);
        t.op(0xA6, false, BYTE, NO_IMM, CMPS);
        t.op(0xA7, false, VAR, NO_IMM, CMPS);
        t.op(0xAA, false, BYTE, NO_IMM, STOS);
        t.op(0xAB, false, VAR, NO_IMM, STOS);
        t.op(0xAC, false, BYTE, NO_IMM, LODS);
        t.op(0xAD, false, VAR, NO_IMM, LODS);
        t.op(0xAE, false, BYTE, NO_IMM, SCAS);
        t.op(0xAF, false, VAR, NO_IMM, SCAS);
        t.op(0x6C, false, BYTE, NO_IMM, INS).ends();
        t.op(0x6D, false, VAR, NO_IMM, INS).ends();
        t.op(0x6E, false, BYTE, NO_IMM, OUTS).ends();
        t.op(0x6F, false, VAR, NO_IMM, OUTS).ends();
    }
}
