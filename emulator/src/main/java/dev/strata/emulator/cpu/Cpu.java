package dev.strata.emulator.cpu;

import dev.strata.emulator.cpu.decode.Block;
import dev.strata.emulator.cpu.decode.BlockCache;
import dev.strata.emulator.cpu.decode.CompiledBlock;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.cpu.exception.CpuFault;
import dev.strata.emulator.cpu.exception.ProtectedInterrupts;
import dev.strata.emulator.cpu.exception.UndefinedOpcodeLog;
import dev.strata.emulator.cpu.exception.Vectors;
import dev.strata.emulator.cpu.fpu.Fpu;
import dev.strata.emulator.cpu.paging.Mmu;
import dev.strata.emulator.cpu.paging.RamTlb;
import dev.strata.emulator.cpu.segment.SegmentLoader;
import dev.strata.emulator.cpu.system.DebugRegisters;
import dev.strata.emulator.cpu.system.ModelSpecificRegisters;
import dev.strata.emulator.cpu.system.PerformanceCounters;
import dev.strata.emulator.cpu.system.TimeStampCounter;
import dev.strata.emulator.cpu.translate.BlockTranslator;
import dev.strata.emulator.cpu.translate.JitMode;
import dev.strata.emulator.cpu.translate.TranslationCache;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.CodeWriteListener;
import dev.strata.emulator.memory.PhysicalMemory;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The i686-class CPU: architectural state, operand access helpers shared by the instruction handlers, and the
 * run loop (blocks from the {@link BlockCache}, interrupts and faults between them). Real mode, protected mode
 * (segmentation with its checks, privilege levels, gates, task switches; see the {@code segment}, {@code control}
 * and {@code exception} packages), paging ({@link Mmu}) and virtual-8086 mode.
 *
 * <p>Fields are public because the handlers in the sibling packages read and write them on every instruction.
 */
@StateClass("dev.strata.emulator.cpu.Cpu")
public final class Cpu {

    public static final int EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7, ZERO = 8;
    public static final int ES = 0, CS = 1, SS = 2, DS = 3, FS = 4, GS = 5;
    public static final int[] MASK = {0xFF, 0xFFFF, -1};
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    /** General registers EAX..EDI, plus index 8 which always reads zero (for branch-free addressing). */
    @StateField("r") public final int[] r = new int[9];
    @StateField("eip") public int eip;
    /** EIP of the instruction being executed (faults return here). */
    @StateField("curEip") public int curEip;
    /** EFLAGS; the six arithmetic flags are valid only when {@link #fOp} is {@link Flags#NONE}. */
    @StateField("eflags") public int eflags = 2;
    @StateField("fOp") public int fOp;
    @StateField("fSize") public int fSize;
    @StateField("fDst") public int fDst;
    @StateField("fSrc") public int fSrc;
    @StateField("fRes") public int fRes;
    @StateField("seg") public final Segment[] seg = new Segment[6];
    /**
     * The segment registers of {@link #seg} by name: each is one object for the CPU's life (loads and restored states
     * change its fields). Reaching one through its field is one load; through the array, whose length the JIT
     * compiler does not know, it is three and an index check even at a constant index, and the near branch's limit
     * check and a translated block's check of its flat segments run often (the limit check alone took 7 % of the DOS
     * loop's CPU time).
     */
    public final transient Segment es, cs, ss, ds, fs, gs;
    @StateField("cr0") public int cr0 = 0x60000010;
    @StateField("cr2") public int cr2;
    @StateField("cr3") public int cr3;
    @StateField("cr4") public int cr4;
    @StateField("gdtBase") public int gdtBase;
    @StateField("gdtLimit") public int gdtLimit = 0xFFFF;
    @StateField("idtBase") public int idtBase;
    @StateField("idtLimit") public int idtLimit = 0x3FF;
    /** LDTR and TR with their descriptor caches (selector, base, limit, attributes). */
    @StateField("ldt") public final Segment ldt = new Segment();
    @StateField("task") public final Segment task = new Segment();
    /** Current privilege level: 0 in real mode, from the code segment in protected mode. */
    @StateField("cpl") public int cpl;

    /** The x87 floating-point unit. */
    @StateField("fpu") public final Fpu fpu = new Fpu();

    public final transient PhysicalMemory mem;
    /** CR0.PG and CR0.PE both set: linear addresses go through {@link #mmu}. */
    @StateField("paging") public boolean paging;
    public final transient Mmu mmu; // its TLB is rebuilt from the restored page tables
    /** The Mmu's RAM pages: the data accesses' fast path (see {@link #read32}). */
    private final transient RamTlb ramTlb;
    public final transient IoBus io;
    final transient BlockCache blocks;

    /** Set while the CPU runs by {@link #halt} only (see {@link #attention}). */
    @StateField("halted") public boolean halted;
    /** Set by an instruction that must be the last one run from the current block (SMC, HLT). */
    @StateField("blockExit") public boolean blockExit;
    /**
     * One-instruction interrupt shadow after STI, MOV SS and POP SS; set while the CPU runs by
     * {@link #shadowNextInstruction} only.
     */
    @StateField("interruptShadow") public boolean interruptShadow;
    // set on the CPU thread only, as everything else here: other threads hand their work to the machine's runner
    @StateField("intrLine") private boolean intrLine;
    @StateField("runEndRequested") private boolean runEndRequested;
    @StateField("nmiPending") private boolean nmiPending;
    /**
     * False when nothing between two blocks needs the run loop but perhaps TF: none of the conditions
     * {@link #continuesIntoBlock} tests besides TF holds. Worked out when {@link #run} and {@link #runBlocks} start
     * and set by whatever raises one of them while blocks run, so that going from block to block reads this field and
     * EFLAGS instead of eight fields: the Linux boot's decompressor goes from block to block 250 million times.
     */
    private transient boolean attention;
    @StateField("nmiBlocked") private boolean nmiBlocked;
    private transient InterruptAcknowledge acknowledge = () -> 0x08;

    @StateField("instructions") public long instructions;
    // The translating tier is how this host runs the guest, not guest state: transient keeps it out of saved states,
    // so a state saved with --jit on resumes under --jit off (and the other way round), and files stay as before.
    /** Of {@link #instructions}, those run by translated blocks. */
    public transient long translatedInstructions;
    /**
     * Interpreted runs of a block before it is translated, at most (a long block is sooner:
     * {@link dev.strata.emulator.cpu.decode.Block#HOT_INSTRUCTIONS}); negative while the CPU does not translate.
     */
    public transient int interpretedRuns = -1;
    private transient JitMode jit = JitMode.OFF;
    private final transient BlockTranslator translator = new BlockTranslator();
    /** {@link #instructions} when the current {@link #run} began: the machine clock has counted those. */
    @StateField("runStart") private long runStart;
    /** Time-stamp counter, performance counters and SYSENTER MSRs; a bare CPU's counter runs 10 ns per instruction. */
    @StateField("msr") public final ModelSpecificRegisters msr = newModelSpecificRegisters();
    @StateField("debug") public final DebugRegisters debug = new DebugRegisters();
    /** Where opcodes this CPU does not implement are reported before their #UD. */
    public final transient UndefinedOpcodeLog undefinedOpcodes = new UndefinedOpcodeLog();
    /** Triple faults seen (each one reset the processor). */
    @StateField("shutdowns") public long shutdowns;
    /**
     * The block run last, whose successor links speed up finding the next one ({@link #runBlocks} keeps it in a
     * local and stores it here when it returns).
     */
    private transient Block lastBlock;
    /** {@link Block#serial()} of the block running or run last: what a write to code checks it against. */
    private transient int runningSerial = -1;
    private transient InstructionTracer tracer; // tracing belongs to the run, not the machine
    /** The instruction count from which {@link #tracer} is called; the CPU runs at full speed until then. */
    private transient long tracerFrom;
    private transient InterruptTracer interruptTracer;
    /**
     * Set while a debugger single-steps: interrupts stay pending, as QEMU's gdb stub holds them by default, so a step
     * runs the guest's next instruction rather than the first one of an interrupt handler.
     */
    private transient boolean externalHeld;
    /** A debugger's breakpoints, or null (the usual case: the run loop then checks nothing else). */
    private transient CodeBreakpoints breakpoints;

    public Cpu(PhysicalMemory mem, IoBus io) {
        this.mem = mem;
        this.io = io;
        for (int s = 0; s < 6; s++) {
            seg[s] = new Segment();
        }
        this.es = seg[ES];
        this.cs = seg[CS];
        this.ss = seg[SS];
        this.ds = seg[DS];
        this.fs = seg[FS];
        this.gs = seg[GS];
        this.blocks = new BlockCache(mem, Instructions.table());
        this.mmu = new Mmu(this, mem);
        this.ramTlb = mmu.ramTlb();
        mem.setCodeWriteListener(new CodeWriteListener() {
            @Override
            public void codePageWritten(int page) {
                blocks.invalidatePage(page);
                blockExit = true;
            }

            @Override
            public void codeWritten(int physical, int length) {
                // when the running block is among those retired, its next instruction is decoded anew
                if (blocks.invalidateBytes(physical, length, runningSerial)) {
                    blockExit = true;
                }
            }

            @Override
            public void directAccessRevoked(int page) {
                if (page < 0) {
                    ramTlb.flush();
                } else {
                    ramTlb.revokeWrites(page);
                }
            }

            @Override
            public void mappingChanged() {
                // the A20 gate moved linear addresses to other physical ones: blocks are keyed by physical
                // address and stay; the links between them, which go by linear address, do not
                blocks.dropLinks();
                ramTlb.flush();
                blockExit = true;
            }
        });
        reset();
    }

    private ModelSpecificRegisters newModelSpecificRegisters() {
        TimeStampCounter tsc = new TimeStampCounter(() -> instructions * 10);
        PerformanceCounters counters = new PerformanceCounters(new PerformanceCounters.EventSource() {
            @Override
            public long instructions() {
                return instructions;
            }

            @Override
            public long cycles() {
                return tsc.peek();
            }
        });
        return new ModelSpecificRegisters(tsc, counters);
    }

    /** Power-on state: CS:IP = F000:FFF0, real mode, interrupts off. (The 386+ CS base of FFFF0000 is not modelled.) */
    public void reset() {
        java.util.Arrays.fill(r, 0);
        r[EDX] = 0x0600;
        eflags = 2;
        fOp = Flags.NONE;
        for (Segment s : seg) {
            s.loadReal(0);
            s.limit = 0xFFFF;
            s.attributes = 0x93;
            s.ignoreTypes();
        }
        ldt.loadNull(0);
        task.loadNull(0);
        cpl = 0;
        cs.loadReal(0xF000);
        eip = 0xFFF0;
        cr0 = 0x60000010;
        cr2 = 0;
        cr3 = 0;
        cr4 = 0;
        paging = false;
        mmu.flush();
        blocks.flush(); // links were keyed by linear addresses of the old mode
        idtBase = 0;
        idtLimit = 0x3FF;
        gdtBase = 0;
        gdtLimit = 0xFFFF;
        halted = false;
        interruptShadow = false;
        nmiBlocked = false;
        msr.reset();
        debug.reset();
        fpu.reset();
    }

    // ---------------------------------------------------------------- translation

    /**
     * Chooses whether hot blocks are translated to JVM bytecode ({@link JitMode}); a bare CPU interprets. Blocks
     * translated before keep their translations. {@link JitMode#ON} also warms the translator up in the background,
     * once per process ({@link BlockTranslator#warmUpInBackground}).
     */
    public void setJit(JitMode mode) {
        jit = mode;
        if (mode == JitMode.ON) {
            BlockTranslator.warmUpInBackground();
        }
        interpretedRuns = mode == JitMode.ON && instructions < JitMode.WARM_UP_INSTRUCTIONS ? -1
                : mode.interpretedRuns();
    }

    public JitMode jit() {
        return jit;
    }

    /** Bounds the translations this CPU keeps to {@code bytes} of class files (see {@link TranslationCache}). */
    public void setTranslationBudget(long bytes) {
        translator.cache().setBudget(bytes);
    }

    /**
     * Called by a block that has run often enough: its translation, made at once when every block is translated
     * ({@link JitMode#ALL}); otherwise made in the background and installed in the block later (null now).
     */
    public CompiledBlock translateHot(Block block) {
        int flat = flatSegments(); // read here, on the CPU's thread: the translator's thread must not
        if (jit == JitMode.ALL) {
            return translator.translateOrNull(block, flat);
        }
        if (!translator.translateLater(block, flat)) {
            block.retranslateAfter(interpretedRuns);
        }
        return null;
    }

    // ---------------------------------------------------------------- interrupts in

    /** Sets (or with null removes) the instruction tracer. */
    public void setTracer(InstructionTracer tracer) {
        setTracer(tracer, 0);
    }

    /** Sets the instruction tracer, first called before the instruction that has {@code from} before it. */
    public void setTracer(InstructionTracer tracer, long from) {
        this.tracer = tracer;
        this.tracerFrom = from;
        attention = true;
    }

    /**
     * Sets (or with null removes) the breakpoints a debugger has set. While set, blocks that hold a breakpoint run
     * only up to it, and the run ends before an instruction where {@link CodeBreakpoints#stopsBefore} says so.
     */
    public void setBreakpoints(CodeBreakpoints breakpoints) {
        this.breakpoints = breakpoints;
        attention = true;
    }

    /** Holds external interrupts and NMIs pending (true) or lets them in again (false); see {@link #externalHeld}. */
    public void holdExternalInterrupts(boolean hold) {
        externalHeld = hold;
    }

    /** Sets (or with null removes) the tracer told of every interrupt, exception and triple fault. */
    public void setInterruptTracer(InterruptTracer tracer) {
        this.interruptTracer = tracer;
    }

    public void setInterruptAcknowledge(InterruptAcknowledge ack) {
        this.acknowledge = ack;
    }

    /** Raises or lowers the maskable interrupt line (INTR). */
    public void setIntr(boolean level) {
        intrLine = level;
        attention |= level;
    }

    /** Latches a non-maskable interrupt. */
    public void raiseNmi() {
        nmiPending = true;
        attention = true;
    }

    /** HLT: the processor stops until an interrupt (or NMI, or reset) wakes it. */
    public void halt() {
        halted = true;
        attention = true;
    }

    /** STI, MOV SS and POP SS: no interrupt is taken before the next instruction. */
    public void shadowNextInstruction() {
        interruptShadow = true;
        attention = true;
    }

    public boolean realMode() {
        return (cr0 & 1) == 0;
    }

    /** Protected mode proper: CR0.PE set and not virtual-8086. */
    public boolean protectedMode() {
        return (cr0 & 1) != 0 && (eflags & Flags.VM) == 0;
    }

    // ---------------------------------------------------------------- run loop

    /**
     * Runs until HLT (with nothing to wake it) or about {@code maxInstructions} instructions (whole blocks).
     *
     * @return the number of instructions executed
     */
    public long run(long maxInstructions) {
        if (interpretedRuns < 0 && jit == JitMode.ON && instructions >= JitMode.WARM_UP_INSTRUCTIONS) {
            interpretedRuns = JitMode.HOT_RUNS; // the warm-up is over: blocks start counting their runs
        }
        long start = instructions;
        runStart = start;
        long limit = start + maxInstructions;
        runEndRequested = false;
        updateAttention(); // the fields may have been set between runs, or restored from a saved state
        while (instructions < limit && !runEndRequested) {
            long turnLimit = limit;
            // a halted CPU has not reached the instruction after its HLT: a breakpoint there waits for the wake-up
            if (breakpoints != null && !halted) {
                int before = instructionsBeforeBreakpoint();
                if (before == 0) {
                    break;
                }
                turnLimit = Math.min(limit, instructions + before);
            }
            if (interruptShadow) {
                interruptShadow = false;
                traceOne();
                step(1);
                continue;
            }
            if ((nmiPending || (intrLine && (eflags & Flags.IF) != 0)) && !externalHeld) {
                serviceExternal();
                if (breakpoints != null) {
                    continue; // the handler's first instruction may hold a breakpoint
                }
            }
            if (halted) {
                break;
            }
            if ((eflags & Flags.TF) != 0) {
                singleStepTrap();
                continue;
            }
            if (tracer != null) {
                if (instructions >= tracerFrom) {
                    tracer.beforeInstruction(this);
                    step(1);
                } else {
                    step((int) Math.min(Integer.MAX_VALUE, Math.min(turnLimit, tracerFrom) - instructions));
                }
                continue;
            }
            if (interruptTracer == null) {
                runBlocks(turnLimit);
            } else {
                step((int) Math.min(Integer.MAX_VALUE, turnLimit - instructions)); // it needs lastBlock
            }
        }
        runStart = instructions; // between runs the machine clock has counted every instruction
        return instructions - start;
    }

    /**
     * Under a debugger: 0 when the run must stop before the instruction at CS:EIP, else how many instructions of
     * the block there may run before one that holds a breakpoint (a large number when none does). The block is
     * looked up here and found again through its link by {@link #step}; a fetch that faults runs one instruction,
     * which delivers the fault.
     */
    private int instructionsBeforeBreakpoint() {
        int linear = cs.base + eip;
        if (breakpoints.stopsBefore(linear)) {
            return 0;
        }
        Block b;
        try {
            b = blocks.next(this, lastBlock);
        } catch (CpuFault f) {
            return 1;
        }
        for (int k = 1; k < b.insns.length; k++) {
            if (breakpoints.anyIn(linear + b.offset(k), 1)) {
                return k;
            }
        }
        return Integer.MAX_VALUE;
    }

    /**
     * True when, after a block, {@link #run} would go straight into the next one: no interrupt to deliver or shadow
     * to honour, not halted, no single-step trap, no tracer and no request to end the run. A translated block that
     * branches back to its own start checks this to go round again without leaving (the instruction limit it
     * checks itself), so that it stops exactly where the run loop would have stopped it.
     */
    public boolean continuesIntoBlock() {
        if (!attention) {
            return (eflags & Flags.TF) == 0;
        }
        return !runEndRequested && !interruptShadow && !nmiPending && !(intrLine && (eflags & Flags.IF) != 0)
                && !halted && (eflags & Flags.TF) == 0 && tracer == null && breakpoints == null;
    }

    private void updateAttention() {
        attention = runEndRequested || interruptShadow || nmiPending || intrLine || halted || tracer != null
                || breakpoints != null;
    }

    /**
     * Ends the current {@link #run} after the block now running (a device access found an event due: the machine
     * clock has to run it before the CPU goes on).
     */
    public void endRun() {
        runEndRequested = true;
        attention = true;
    }

    /** Runs up to {@code max} instructions of one block; returns false when a guest exception was delivered. */
    private boolean step(int max) {
        try {
            curEip = eip; // with paging, fetching the block's first instruction can fault (#PF) before it runs
            Block b = blocks.next(this, lastBlock);
            lastBlock = b;
            runningSerial = b.serial();
            int ran = b.run(this, max); // first: a translated block going round adds its earlier passes itself
            instructions += ran;
            return true;
        } catch (CpuFault f) {
            deliverFault(f);
            return false;
        }
    }

    /**
     * Runs blocks one after another until {@code limit} or until something between two blocks needs the run loop
     * ({@link #continuesIntoBlock}): the path nearly every block takes, kept in one loop so that going from block
     * to block costs no call of its own. The block running is kept in a local and named to the rest of the CPU
     * by its serial: storing a reference in {@link #lastBlock} for every block would run G1's write barrier, a
     * fence when the CPU and the block lie in different heap regions, which a profile of the Linux boot's
     * decompressor showed as the dispatch's costliest instruction.
     */
    private void runBlocks(long limit) {
        BlockCache cache = blocks;
        Block last = lastBlock;
        updateAttention(); // the run loop has dealt with what it was raised for
        try {
            do {
                curEip = eip; // with paging, fetching the block's first instruction can fault (#PF) before it runs
                Block b = cache.next(this, last);
                last = b;
                runningSerial = b.serial();
                long left = limit - instructions;
                // the block first: a translated block going round adds its earlier passes to the count itself
                int ran = b.run(this, left > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) left);
                instructions += ran;
            } while (instructions < limit && continuesIntoBlock());
            lastBlock = last;
        } catch (CpuFault f) {
            lastBlock = last;
            deliverFault(f);
        }
    }

    /** A fault in the instruction at {@link #curEip}: delivered with EIP back at that instruction. */
    private void deliverFault(CpuFault f) {
        blockExit = false;
        eip = curEip;
        traceInterrupt(InterruptKind.EXCEPTION, f.vector, f.errorCode, instructions);
        deliver(f.vector, f.errorCode);
        instructions++; // the faulting one counts too, so a fault loop still moves toward the limit
    }

    /** Shows the tracer the instruction about to run (outside the hot path: blocks then run one at a time). */
    private void traceOne() {
        if (tracer != null && instructions >= tracerFrom) {
            tracer.beforeInstruction(this);
        }
    }

    /** TF was set before the instruction: run exactly one, then trap to INT 1 with EIP at the next one. */
    private void singleStepTrap() {
        traceOne();
        if (step(1)) {
            halted = false;
            traceInterrupt(InterruptKind.EXCEPTION, Vectors.DB, -1, instructions);
            deliver(Vectors.DB, -1);
        }
    }

    private void serviceExternal() {
        if (nmiPending && !nmiBlocked) {
            nmiPending = false;
            halted = false;
            traceInterrupt(InterruptKind.NMI, Vectors.NMI, -1, instructions);
            deliver(Vectors.NMI, -1);
            nmiBlocked = true;
            return;
        }
        if (intrLine && (eflags & Flags.IF) != 0) {
            halted = false;
            int vector = acknowledge.acknowledge() & 0xFF;
            traceInterrupt(InterruptKind.HARDWARE, vector, -1, instructions);
            deliver(vector, -1);
        }
    }

    private void traceInterrupt(InterruptKind kind, int vector, int errorCode, long count) {
        if (interruptTracer != null) {
            interruptTracer.interrupt(this, kind, vector, errorCode, count);
        }
    }

    /**
     * INT n, INT3, INTO and INT1 end their block, and a block adds its instructions to the count when it finishes,
     * so the one running is the block's last.
     */
    private void traceSoftwareInterrupt(int vector) {
        if (interruptTracer != null) {
            long count = instructions + (lastBlock != null ? lastBlock.insns.length - 1 : 0);
            interruptTracer.interrupt(this, InterruptKind.SOFTWARE, vector, -1, count);
        }
    }

    /**
     * Delivers an interrupt or exception from outside an instruction. A fault while delivering it becomes a double
     * fault (#DF) in real mode, and in protected mode where the SDM's table says so (else the new fault is
     * delivered instead); a fault while delivering #DF is a triple fault, which shuts the processor down and, as
     * on a PC, resets it.
     */
    private void deliver(int vector, int errorCode) {
        try {
            exception(vector, errorCode);
        } catch (CpuFault second) {
            if ((cr0 & 1) != 0 && !doubleFault(vector, second.vector)) {
                traceInterrupt(InterruptKind.EXCEPTION, second.vector, second.errorCode, instructions);
                deliver(second.vector, second.errorCode); // handled serially, as the SDM's table says
                return;
            }
            try {
                traceInterrupt(InterruptKind.EXCEPTION, Vectors.DF, 0, instructions);
                exception(Vectors.DF, 0);
            } catch (CpuFault third) {
                shutdowns++;
                if (interruptTracer != null) {
                    interruptTracer.tripleFault(this);
                }
                reset();
            }
        }
    }

    /**
     * The SDM's double-fault table (applied in protected mode): a contributory exception (#DE, #TS, #NP, #SS,
     * #GP) while delivering another contributory one, or a contributory one or #PF while delivering #PF.
     */
    private static boolean doubleFault(int first, int second) {
        boolean secondContributory = second == Vectors.DE || (second >= Vectors.TS && second <= Vectors.GP);
        boolean firstContributory = first == Vectors.DE || (first >= Vectors.TS && first <= Vectors.GP);
        return (firstContributory && secondContributory)
                || (first == Vectors.PF && (secondContributory || second == Vectors.PF));
    }

    /** An interrupt without privilege check or error code (INT1, and callers outside the instruction set). */
    public void interrupt(int vector) {
        traceSoftwareInterrupt(vector);
        if ((cr0 & 1) != 0) {
            ProtectedInterrupts.deliver(this, vector, -1, false);
            return;
        }
        realInterrupt(vector);
    }

    /** INT n, INT3 and INTO: in protected mode the gate's DPL must admit the current privilege level. */
    public void softwareInterrupt(int vector) {
        traceSoftwareInterrupt(vector);
        if ((cr0 & 1) != 0) {
            ProtectedInterrupts.deliver(this, vector, -1, true);
            return;
        }
        realInterrupt(vector);
    }

    /** An exception or external interrupt; protected mode pushes {@code errorCode} unless it is negative. */
    public void exception(int vector, int errorCode) {
        if ((cr0 & 1) != 0) {
            ProtectedInterrupts.deliver(this, vector, errorCode, false);
            return;
        }
        realInterrupt(vector);
    }

    /**
     * Real-mode interrupt: push FLAGS, CS, IP; clear IF, TF, AC; load CS:IP from the interrupt vector table
     * (#GP when the vector lies beyond the IDTR limit).
     */
    private void realInterrupt(int vector) {
        if (vector * 4 + 3 > idtLimit) {
            throw CpuFault.general(vector * 8 + 2);
        }
        int flags = Flags.get(this);
        push16(flags);
        push16(cs.selector);
        push16(eip);
        eflags &= ~(Flags.IF | Flags.TF | Flags.AC | Flags.RF);
        int entry = idtBase + vector * 4;
        int newIp = mem.read16(entry);
        int newCs = mem.read16(entry + 2);
        loadSegment(CS, newCs);
        eip = newIp;
    }

    /** Called by IRET: NMIs are unblocked. */
    public void iretDone() {
        nmiBlocked = false;
    }

    // ---------------------------------------------------------------- registers

    public int getReg(int size, int idx) {
        switch (size) {
            case 0: return idx < 4 ? r[idx] & 0xFF : (r[idx - 4] >>> 8) & 0xFF;
            case 1: return r[idx] & 0xFFFF;
            default: return r[idx];
        }
    }

    public void setReg(int size, int idx, int v) {
        switch (size) {
            case 0:
                if (idx < 4) {
                    r[idx] = (r[idx] & ~0xFF) | (v & 0xFF);
                } else {
                    r[idx - 4] = (r[idx - 4] & ~0xFF00) | ((v & 0xFF) << 8);
                }
                break;
            case 1: r[idx] = (r[idx] & 0xFFFF0000) | (v & 0xFFFF); break;
            default: r[idx] = v; break;
        }
    }

    /**
     * Loads a data or stack segment register by the rules of the current mode (real mode: base = selector * 16;
     * protected mode: from the descriptor tables with their checks). CS is loaded by far transfers.
     */
    public void loadSegment(int s, int selector) {
        if ((cr0 & 1) == 0 || (eflags & Flags.VM) != 0) {
            seg[s].loadReal(selector);
        } else if (s == CS) {
            SegmentLoader.loadCode(this, selector);
        } else {
            SegmentLoader.load(this, s, selector);
        }
    }

    /**
     * Reads a dword at a linear address (descriptor tables, TSS, IDT): no segment, and a supervisor access for
     * paging whatever the CPL, as the processor's own accesses are.
     */
    public int readLinear32(int linear) {
        if (paging) {
            return readLinear16(linear) | readLinear16(linear + 2) << 16;
        }
        return mem.read32(linear);
    }

    public int readLinear16(int linear) {
        return readLinear8(linear) | readLinear8(linear + 1) << 8;
    }

    public void writeLinear16(int linear, int v) {
        writeLinear8(linear, v);
        writeLinear8(linear + 1, v >>> 8);
    }

    public void writeLinear32(int linear, int v) {
        writeLinear16(linear, v);
        writeLinear16(linear + 2, v >>> 16);
    }

    public void writeLinear8(int linear, int v) {
        mem.write8(paging ? mmu.translate(linear, true, false) : linear, v);
    }

    public int readLinear8(int linear) {
        return mem.read8(paging ? mmu.translate(linear, false, false) : linear);
    }

    // ---------------------------------------------------------------- memory operands

    public int ea(Insn i) {
        return (r[i.base()] + (r[i.index()] << i.scale()) + i.disp()) & i.addrMask();
    }

    /** Linear address of {@code seg:off} for an access of {@code bytes}, after the limit check. */
    public int linear(int s, int off, int bytes) {
        Segment sg = seg[s];
        if (((off - sg.lo) & 0xFFFFFFFFL) + (bytes - 1) > sg.readSpan) {
            throw s == SS ? CpuFault.stack(0) : CpuFault.general(0);
        }
        return sg.base + off;
    }

    /** Linear address of {@code seg:off} for a write of {@code bytes}, after the limit and writability check. */
    public int linearWrite(int s, int off, int bytes) {
        Segment sg = seg[s];
        if (((off - sg.lo) & 0xFFFFFFFFL) + (bytes - 1) > sg.writeSpan) {
            throw s == SS ? CpuFault.stack(0) : CpuFault.general(0);
        }
        return sg.base + off;
    }

    /**
     * The limit check of {@link #linear} on a segment's values (base, lowest offset {@code lo}, read or write
     * {@code span}), for translated loops, which hold them in locals: the linear address of an access of
     * {@code bytes} at {@code off}, or #SS through SS ({@code s}) and #GP through the others. The accessors repeat
     * its two lines rather than call it (see {@link #readLinear8}).
     */
    public static int checkedLinear(int off, int lo, long span, int bytes, int base, int s) {
        if (((off - lo) & 0xFFFFFFFFL) + (bytes - 1) > span) {
            throw s == SS ? CpuFault.stack(0) : CpuFault.general(0);
        }
        return base + off;
    }

    /**
     * The linear-to-physical step for a read (or instruction fetch) at the current privilege level: the identity
     * while paging is off, else the {@link Mmu}'s TLB or page walk (#PF). The A20 gate is applied by
     * {@link PhysicalMemory} on the physical address.
     */
    public int translate(int linear) {
        return paging ? mmu.translate(linear, false, cpl == 3) : linear;
    }

    /** The linear-to-physical step for a write. */
    public int translateWrite(int linear) {
        return paging ? mmu.translate(linear, true, cpl == 3) : linear;
    }

    /**
     * Called after CR0 or CR4 change: paging on or off, every cached address translation dropped (global ones
     * too), and the links between decoded blocks, which go by linear address. The blocks themselves stay: they
     * are keyed by physical address and CS's size, and decoding depends on nothing else, so Linux's CR0 and CR4
     * writes while it sets up paging no longer throw away the kernel's decoded code.
     */
    public void pagingChanged() {
        paging = (cr0 & 0x80000001) == 0x80000001;
        mmu.flush();
        blocks.dropLinks();
    }

    /**
     * A CR3 load: translations not marked global (CR4.PGE) are dropped, and the links between decoded blocks,
     * which go by linear address. The blocks stay: they are keyed by physical address, so a task switch finds
     * the kernel's and the shared libraries' code still decoded.
     */
    public void addressSpaceChanged() {
        mmu.flushNonGlobal();
        blocks.dropLinks();
    }

    /** INVLPG: one page's translation, and the block links if one may lead into that page. */
    public void invalidatePage(int linear) {
        mmu.flush(linear);
        blocks.dropLinksThrough(linear);
    }

    // Data accesses: after the segment check, a page the RAM TLB holds (plain RAM, and with paging on a TLB hit) is one
    // load of its entry, one tag compare and one array access, written out here rather than through calls (until the
    // JIT compiler has compiled these methods, as in much of a short guest's run, each call costs). They stay that
    // small so that the JIT compiler inlines them into translated blocks and handlers (a larger compiled body, with the
    // page walk and the device paths in it, was called instead: every guest load and store then spilled the
    // translation's registers); a miss, a device, code, a watch or an access across two pages goes to missed().

    /** The RAM TLB the data accesses' fast path looks pages up in (translations read it into their locals). */
    public RamTlb ramTlb() {
        return ramTlb;
    }

    public int read8(int s, int off) {
        int lin = linear(s, off, 1);
        RamTlb t = ramTlb;
        long e = t.read[(lin >>> 12) & RamTlb.MASK];
        if ((int) (e >>> 32) == ((lin & 0xFFFFF000) | (cpl == 3 ? RamTlb.USER | RamTlb.VALID : RamTlb.VALID))) {
            return t.ram[lin + (int) e] & 0xFF;
        }
        return missed(LINEAR, lin, 1, false, 0);
    }

    public int read16(int s, int off) {
        int lin = linear(s, off, 2);
        RamTlb t = ramTlb;
        long e = t.read[((lin + 1) >>> 12) & RamTlb.MASK];
        if ((int) (e >>> 32) == ((lin & 0xFFFFF000) | (cpl == 3 ? RamTlb.USER | RamTlb.VALID : RamTlb.VALID))) {
            return (short) SHORT.get(t.ram, lin + (int) e) & 0xFFFF;
        }
        return missed(LINEAR, lin, 2, false, 0);
    }

    public int read32(int s, int off) {
        int lin = linear(s, off, 4);
        RamTlb t = ramTlb;
        long e = t.read[((lin + 3) >>> 12) & RamTlb.MASK];
        if ((int) (e >>> 32) == ((lin & 0xFFFFF000) | (cpl == 3 ? RamTlb.USER | RamTlb.VALID : RamTlb.VALID))) {
            return (int) INT.get(t.ram, lin + (int) e);
        }
        return missed(LINEAR, lin, 4, false, 0);
    }

    public void write8(int s, int off, int v) {
        int lin = linearWrite(s, off, 1);
        RamTlb t = ramTlb;
        long e = t.write[(lin >>> 12) & RamTlb.MASK];
        if ((int) (e >>> 32) == ((lin & 0xFFFFF000) | (cpl == 3 ? RamTlb.USER | RamTlb.VALID : RamTlb.VALID))) {
            t.ram[lin + (int) e] = (byte) v;
            return;
        }
        missed(LINEAR, lin, 1, true, v);
    }

    public void write16(int s, int off, int v) {
        int lin = linearWrite(s, off, 2);
        RamTlb t = ramTlb;
        long e = t.write[((lin + 1) >>> 12) & RamTlb.MASK];
        if ((int) (e >>> 32) == ((lin & 0xFFFFF000) | (cpl == 3 ? RamTlb.USER | RamTlb.VALID : RamTlb.VALID))) {
            SHORT.set(t.ram, lin + (int) e, (short) v);
            return;
        }
        missed(LINEAR, lin, 2, true, v);
    }

    public void write32(int s, int off, int v) {
        int lin = linearWrite(s, off, 4);
        RamTlb t = ramTlb;
        long e = t.write[((lin + 3) >>> 12) & RamTlb.MASK];
        if ((int) (e >>> 32) == ((lin & 0xFFFFF000) | (cpl == 3 ? RamTlb.USER | RamTlb.VALID : RamTlb.VALID))) {
            INT.set(t.ram, lin + (int) e, v);
            return;
        }
        missed(LINEAR, lin, 4, true, v);
    }

    /**
     * The byte at linear {@code lin}: RAM TLB {@code t}'s entry for it when it has one with the tag bits {@code tag}
     * ({@link RamTlb#tagBits} of the privilege level), else {@link #missed}: the accessors' fast path for
     * translated loops, which pass the values they hold in locals. The accessors repeat these lines instead of
     * calling them: much of a short guest's run is interpreted by the JVM or compiled by C1, where the call would
     * stay a call (the FreeDOS boot took 0.69-0.71 s instead of 0.54-0.56 s with the accessors calling these).
     */
    public int readLinear8(RamTlb t, int tag, int lin) {
        long e = t.read[(lin >>> 12) & RamTlb.MASK];
        if ((int) (e >>> 32) == ((lin & 0xFFFFF000) | tag)) {
            return t.ram[lin + (int) e] & 0xFF;
        }
        return missed(LINEAR, lin, 1, false, 0);
    }

    /** The word at linear {@code lin} (see {@link #readLinear8}). */
    public int readLinear16(RamTlb t, int tag, int lin) {
        long e = t.read[((lin + 1) >>> 12) & RamTlb.MASK];
        if ((int) (e >>> 32) == ((lin & 0xFFFFF000) | tag)) {
            return (short) SHORT.get(t.ram, lin + (int) e) & 0xFFFF;
        }
        return missed(LINEAR, lin, 2, false, 0);
    }

    /** The dword at linear {@code lin} (see {@link #readLinear8}). */
    public int readLinear32(RamTlb t, int tag, int lin) {
        long e = t.read[((lin + 3) >>> 12) & RamTlb.MASK];
        if ((int) (e >>> 32) == ((lin & 0xFFFFF000) | tag)) {
            return (int) INT.get(t.ram, lin + (int) e);
        }
        return missed(LINEAR, lin, 4, false, 0);
    }

    /** Writes the byte {@code v} at linear {@code lin} (see {@link #readLinear8}). */
    public void writeLinear8(RamTlb t, int tag, int lin, int v) {
        long e = t.write[(lin >>> 12) & RamTlb.MASK];
        if ((int) (e >>> 32) == ((lin & 0xFFFFF000) | tag)) {
            t.ram[lin + (int) e] = (byte) v;
            return;
        }
        missed(LINEAR, lin, 1, true, v);
    }

    /** Writes the word {@code v} at linear {@code lin} (see {@link #readLinear8}). */
    public void writeLinear16(RamTlb t, int tag, int lin, int v) {
        long e = t.write[((lin + 1) >>> 12) & RamTlb.MASK];
        if ((int) (e >>> 32) == ((lin & 0xFFFFF000) | tag)) {
            SHORT.set(t.ram, lin + (int) e, (short) v);
            return;
        }
        missed(LINEAR, lin, 2, true, v);
    }

    /** Writes the dword {@code v} at linear {@code lin} (see {@link #readLinear8}). */
    public void writeLinear32(RamTlb t, int tag, int lin, int v) {
        long e = t.write[((lin + 3) >>> 12) & RamTlb.MASK];
        if ((int) (e >>> 32) == ((lin & 0xFFFFF000) | tag)) {
            INT.set(t.ram, lin + (int) e, v);
            return;
        }
        missed(LINEAR, lin, 4, true, v);
    }

    /**
     * The word at offset {@code off} of flat segment {@code s} ({@link Segment#flat}: the offset is the linear
     * address), for translated blocks that found their segments flat when they started; see {@link #readLinear8}.
     * An access across the end of the 4 GiB misses the TLB and faults on the way to {@link #missed}, as the segment's
     * limit check would have made it.
     */
    public int readFlat16(RamTlb t, int tag, int off, int s) {
        long e = t.read[((off + 1) >>> 12) & RamTlb.MASK];
        if ((int) (e >>> 32) == ((off & 0xFFFFF000) | tag)) {
            return (short) SHORT.get(t.ram, off + (int) e) & 0xFFFF;
        }
        return missed(s, off, 2, false, 0);
    }

    /** The dword at offset {@code off} of flat segment {@code s} (see {@link #readFlat16}). */
    public int readFlat32(RamTlb t, int tag, int off, int s) {
        long e = t.read[((off + 3) >>> 12) & RamTlb.MASK];
        if ((int) (e >>> 32) == ((off & 0xFFFFF000) | tag)) {
            return (int) INT.get(t.ram, off + (int) e);
        }
        return missed(s, off, 4, false, 0);
    }

    /** Writes the word {@code v} at offset {@code off} of flat segment {@code s} (see {@link #readFlat16}). */
    public void writeFlat16(RamTlb t, int tag, int off, int s, int v) {
        long e = t.write[((off + 1) >>> 12) & RamTlb.MASK];
        if ((int) (e >>> 32) == ((off & 0xFFFFF000) | tag)) {
            SHORT.set(t.ram, off + (int) e, (short) v);
            return;
        }
        missed(s, off, 2, true, v);
    }

    /** Writes the dword {@code v} at offset {@code off} of flat segment {@code s} (see {@link #readFlat16}). */
    public void writeFlat32(RamTlb t, int tag, int off, int s, int v) {
        long e = t.write[((off + 3) >>> 12) & RamTlb.MASK];
        if ((int) (e >>> 32) == ((off & 0xFFFFF000) | tag)) {
            INT.set(t.ram, off + (int) e, v);
            return;
        }
        missed(s, off, 4, true, v);
    }

    /**
     * The data segment registers (ES, SS, DS, FS, GS; a bit each, by index) that are {@link Segment#flat} now, and
     * {@link #UNLIMITED_CODE} when CS's limit is the largest (4 GiB, as an operating system's code segment has): a
     * block translated while they are may skip their limit checks, having checked they still are when it starts.
     */
    public int flatSegments() {
        int mask = cs.limit == -1 ? UNLIMITED_CODE : 0;
        for (int s = 0; s < 6; s++) {
            if (s != CS && seg[s].flat()) {
                mask |= 1 << s;
            }
        }
        return mask;
    }

    /**
     * The bit of {@link #flatSegments} for a code segment no near jump can leave: with its limit at 4 GiB, every
     * target passes {@link #nearTarget}'s check.
     */
    public static final int UNLIMITED_CODE = 1 << 6;

    /** What {@link #missed} takes for a segment when its address is already linear. */
    private static final int LINEAR = -1;

    /**
     * Every data access of {@code size} bytes at {@code address} that missed the RAM TLB: offset {@code address} of
     * segment {@code s} for the flat accessors, which leave the segment's limit check to this path (so that their
     * inlined copies in translations hold neither it nor its faults), else ({@link #LINEAR}) a linear address; then
     * through the Mmu (with paging) and {@link PhysicalMemory}'s full path, after which the page is entered in the
     * RAM TLB if it needs only the array. A write returns 0. One method for all of them on purpose: its bytecode is
     * larger than HotSpot's C2 inlines even at a hot call (FreqInlineSize, 325 bytes; {@code CpuMemoryFastPathTest}
     * checks), so the page walk and the device paths are never compiled into the fast paths above, which stay small
     * enough to be inlined into every translation and handler that calls them.
     */
    private int missed(int s, int address, int size, boolean write, int v) {
        int lin = s == LINEAR ? address : write ? linearWrite(s, address, size) : linear(s, address, size);
        boolean user = cpl == 3;
        if ((lin & 0xFFF) > 0x1000 - size) { // across two pages: each part is translated on its own
            if (!write) {
                if (size == 2) {
                    return paging ? pagedRead16(lin) : mem.read16(lin);
                }
                return paging ? pagedRead32(lin) : mem.read32(lin);
            }
            if (!paging) {
                if (size == 2) {
                    mem.write16(lin, v);
                } else {
                    mem.write32(lin, v);
                }
            } else if (size == 2) {
                pagedWrite16(lin, v);
            } else {
                pagedWrite32(lin, v);
            }
            return 0;
        }
        int p = paging ? mmu.translate(lin, write, user) : lin;
        int result = 0;
        if (!write) {
            result = size == 1 ? mem.read8(p) : size == 2 ? mem.read16(p) : mem.read32(p);
        } else if (size == 1) {
            mem.write8(p, v);
        } else if (size == 2) {
            mem.write16(p, v);
        } else {
            mem.write32(p, v);
        }
        // only now: a write may have grown RAM, changed the memory map (a device's register) or retired code there
        int physical = mem.physical(p);
        if (write) {
            if (mem.writesDirectly(physical)) {
                ramTlb.fillWrite(lin, cpl, physical, mem.directArray(), mem.readsDirectly(physical));
            }
        } else if (mem.readsDirectly(physical)) {
            ramTlb.fillRead(lin, cpl, physical, mem.directArray());
        }
        return result;
    }

    private int pagedRead16(int lin) {
        boolean user = cpl == 3;
        if ((lin & 0xFFF) == 0xFFF) { // the two bytes lie on different pages
            return mem.read8(mmu.translate(lin, false, user)) | mem.read8(mmu.translate(lin + 1, false, user)) << 8;
        }
        return mem.read16(mmu.translate(lin, false, user));
    }

    private int pagedRead32(int lin) {
        if ((lin & 0xFFF) > 0xFFC) {
            return pagedRead16(lin) | pagedRead16(lin + 2) << 16;
        }
        return mem.read32(mmu.translate(lin, false, cpl == 3));
    }

    private void pagedWrite16(int lin, int v) {
        boolean user = cpl == 3;
        if ((lin & 0xFFF) == 0xFFF) {
            int hi = mmu.translate(lin + 1, true, user); // both pages must be writable before either byte changes
            mem.write8(mmu.translate(lin, true, user), v);
            mem.write8(hi, v >>> 8);
            return;
        }
        mem.write16(mmu.translate(lin, true, user), v);
    }

    private void pagedWrite32(int lin, int v) {
        if ((lin & 0xFFF) > 0xFFC) {
            mmu.translate(lin + 3, true, cpl == 3);
            pagedWrite16(lin, v);
            pagedWrite16(lin + 2, v >>> 16);
            return;
        }
        mem.write32(mmu.translate(lin, true, cpl == 3), v);
    }

    public int read(int size, int s, int off) {
        switch (size) {
            case 0: return read8(s, off);
            case 1: return read16(s, off);
            default: return read32(s, off);
        }
    }

    public void write(int size, int s, int off, int v) {
        switch (size) {
            case 0: write8(s, off, v); break;
            case 1: write16(s, off, v); break;
            default: write32(s, off, v); break;
        }
    }

    /** Reads the ModRM r/m operand (register or memory). */
    public int readRm(Insn i, int size) {
        return i.mem() ? read(size, i.seg(), ea(i)) : getReg(size, i.rm());
    }

    public void writeRm(Insn i, int size, int v) {
        if (i.mem()) {
            write(size, i.seg(), ea(i), v);
        } else {
            setReg(size, i.rm(), v);
        }
    }

    // ---------------------------------------------------------------- stack

    public int spMask() {
        return ss.big() ? -1 : 0xFFFF;
    }

    private void setSp(int sp) {
        if (ss.big()) {
            r[ESP] = sp;
        } else {
            r[ESP] = (r[ESP] & 0xFFFF0000) | (sp & 0xFFFF);
        }
    }

    public void push16(int v) {
        int sp = (r[ESP] - 2) & spMask();
        write16(SS, sp, v);
        setSp(sp);
    }

    public void push32(int v) {
        int sp = (r[ESP] - 4) & spMask();
        write32(SS, sp, v);
        setSp(sp);
    }

    public void push(int size, int v) {
        if (size == 2) {
            push32(v);
        } else {
            push16(v);
        }
    }

    public int pop16() {
        int sp = r[ESP] & spMask();
        int v = read16(SS, sp);
        setSp(sp + 2);
        return v;
    }

    public int pop32() {
        int sp = r[ESP] & spMask();
        int v = read32(SS, sp);
        setSp(sp + 4);
        return v;
    }

    public int pop(int size) {
        return size == 2 ? pop32() : pop16();
    }

    /** Reads a stack slot {@code delta} bytes above SP without popping. */
    public int peek(int size, int delta) {
        int off = (r[ESP] + delta) & spMask();
        return size == 2 ? read32(SS, off) : read16(SS, off);
    }

    // ---------------------------------------------------------------- control transfer

    /** Near jump within CS: the target must be inside the limit (#GP otherwise). */
    public void jumpNear(int target, int size) {
        eip = nearTarget(target, size);
    }

    /** A near branch target cut to the operand size and checked against the CS limit before anything moves. */
    public int nearTarget(int target, int size) {
        if (size != 2) {
            target &= 0xFFFF;
        }
        if (Integer.compareUnsigned(target, cs.limit) > 0) {
            throw CpuFault.general(0);
        }
        return target;
    }

    /**
     * Far jump in real mode (the new CS keeps the current limit, so the target is checked against it); in
     * protected mode the handlers go through {@code FarTransfer} instead.
     */
    public void jumpFar(int selector, int target, int size) {
        target = nearTarget(target, size);
        loadSegment(CS, selector);
        eip = target;
    }

    /** Reports the {@code length} bytes at CS:{@link #curEip} as an undefined opcode (the caller raises #UD). */
    public void undefinedOpcode(int length) {
        int linear = cs.base + curEip;
        byte[] bytes = new byte[Math.max(1, Math.min(length, 15))];
        int faultAddress = cr2; // the bytes were just fetched; a page walk here must not disturb CR2 all the same
        try {
            for (int k = 0; k < bytes.length; k++) {
                bytes[k] = (byte) readLinear8(linear + k);
            }
        } catch (CpuFault unreadable) {
            cr2 = faultAddress;
        }
        undefinedOpcodes.report(cs.selector, curEip, linear, bytes);
    }

    // ---------------------------------------------------------------- counters

    public CpuStats stats() {
        return new CpuStats(instructions, blocks.hits, blocks.misses, shutdowns, translatedInstructions,
                translator.translations(), blocks.droppedTranslations, translator.cache().evictions(),
                translator.nanos(), translator.bytecodeBytes(), translator.failures());
    }

    public long blockHits() {
        return blocks.hits;
    }

    public long blockMisses() {
        return blocks.misses;
    }

    /** Blocks looked up because no link of the block before led there (successor links died, or a new target). */
    public long blockLookups() {
        return blocks.lookups;
    }

    /** What the decoded-block cache holds now (the monitor's {@code info blocks}). */
    public BlockCache.Census blockCensus() {
        return blocks.census();
    }

    /** Drops all decoded code (used after changes that alter decoding, and by tests). */
    public void flushDecodedCode() {
        blocks.flush();
    }

    /**
     * Called when CS's default size changes without a flush: block successor links are keyed by CS base and EIP
     * only, so they are dropped rather than let a 16-bit block follow where a 32-bit one is due.
     */
    public void codeSizeChanged() {
        blocks.dropLinks();
    }

    /** Instructions run since the current {@link #run} call began (time the machine clock has not yet counted). */
    public long instructionsThisRun() {
        return instructions - runStart;
    }
}
