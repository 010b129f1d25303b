package dev.strata.emulator.cpu.trace;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.InstructionTracer;
import dev.strata.emulator.cpu.InterruptKind;
import dev.strata.emulator.cpu.InterruptTracer;
import java.io.IOException;

/**
 * Records what the CPU does for {@code --trace}: before each instruction it finishes the previous record (the
 * registers that changed since it started) and starts one for the instruction about to run, with its address,
 * mode and bytes; interrupts and exceptions get records of their own. Records go to a {@link TraceLog}. The
 * filter decides what is recorded; past its count the recorder detaches, and the CPU runs at full speed again.
 * It runs on the CPU thread; {@link #close} is called once the CPU has stopped.
 */
public final class TraceRecorder implements InstructionTracer, InterruptTracer, AutoCloseable {

    private final TraceFilter filter;
    private final TraceLog log;
    private final TraceEntry entry = new TraceEntry();
    private final TracedRegisters registers = new TracedRegisters();
    private Cpu cpu;
    /** A record is started and waits for the next one to learn what it changed. */
    private boolean open;
    /** Instructions recorded (interrupts, when only those are traced). */
    private long recorded;
    private boolean detached;
    private IOException failure;

    public TraceRecorder(TraceFilter filter, TraceLog log) {
        this.filter = filter;
        this.log = log;
    }

    /** Starts recording {@code c}: its tracer hooks point here from now on. */
    public TraceRecorder attach(Cpu c) {
        this.cpu = c;
        if (!filter.eventsOnly()) {
            c.setTracer(this, filter.from());
        }
        c.setInterruptTracer(this);
        return this;
    }

    /** Instructions (or interrupts) recorded so far. */
    public long recorded() {
        return recorded;
    }

    @Override
    public void beforeInstruction(Cpu c) {
        boolean closed = open;
        if (open) {
            finishRecord(c);
        }
        if (recorded >= filter.count()) {
            detach();
            return;
        }
        int linear = c.cs.base + c.eip;
        if (!filter.inRange(linear)) {
            return;
        }
        if (closed) {
            System.arraycopy(entry.after, 0, entry.before, 0, TracedRegisters.COUNT);
        } else {
            registers.read(c, entry.before);
        }
        start(c, TraceEntry.INSTRUCTION);
        CodeReader.read(c, linear, entry);
        recorded++;
        open = true;
    }

    @Override
    public void interrupt(Cpu c, InterruptKind kind, int vector, int errorCode, long count) {
        if (detached || count < filter.from()) {
            return;
        }
        if (open) {
            finishRecord(c);
        }
        start(c, switch (kind) {
            case EXCEPTION -> TraceEntry.EXCEPTION;
            case HARDWARE -> TraceEntry.HARDWARE;
            case NMI -> TraceEntry.NMI;
            case SOFTWARE -> TraceEntry.SOFTWARE;
        });
        entry.count = count;
        entry.vector = vector;
        entry.errorCode = errorCode;
        entry.cr2 = c.cr2;
        registers.read(c, entry.before);
        if (filter.eventsOnly()) {
            entry.changed = 0; // no instruction follows to show what the delivery changed
            write();
            if (++recorded >= filter.count()) {
                detach();
            }
        } else {
            open = true; // finished at the next instruction: the delivery's pushes and the new CS:EIP
        }
    }

    @Override
    public void tripleFault(Cpu c) {
        if (detached) {
            return;
        }
        if (open) {
            finishRecord(c);
        }
        start(c, TraceEntry.TRIPLE_FAULT);
        entry.changed = 0;
        write();
        try {
            log.flush("triple fault at instruction " + c.instructions);
        } catch (IOException e) {
            fail(e);
        }
    }

    /** Finishes the last record, writes out what the log holds and closes it; throws what went wrong on the way. */
    @Override
    public void close() throws IOException {
        if (open && cpu != null) {
            finishRecord(cpu);
        }
        detach();
        try {
            if (failure == null) {
                log.flush("end of the run at instruction " + (cpu == null ? 0 : cpu.instructions));
            }
        } finally {
            log.close();
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void start(Cpu c, int kind) {
        entry.kind = kind;
        entry.count = c.instructions;
        entry.mode = mode(c);
        entry.cs = c.cs.selector;
        entry.eip = c.eip;
        entry.codeLength = 0;
        entry.errorCode = -1;
    }

    private void finishRecord(Cpu c) {
        registers.read(c, entry.after);
        entry.changed = TracedRegisters.changed(entry.before, entry.after);
        open = false;
        write();
    }

    private void write() {
        if (failure != null) {
            return;
        }
        try {
            log.append(entry);
        } catch (IOException e) {
            fail(e);
        }
    }

    /** A trace that cannot be written stops; the guest goes on, and {@link #close} reports the error. */
    private void fail(IOException e) {
        failure = e;
        detach();
    }

    private void detach() {
        if (!detached && cpu != null) {
            cpu.setTracer(null);
            cpu.setInterruptTracer(null);
        }
        detached = true;
    }

    static int mode(Cpu c) {
        boolean big = c.cs.big();
        if ((c.cr0 & 1) == 0) {
            return big ? TraceEntry.REAL32 : TraceEntry.REAL16;
        }
        if ((c.eflags & Flags.VM) != 0) {
            return TraceEntry.V86;
        }
        return big ? TraceEntry.PROTECTED32 : TraceEntry.PROTECTED16;
    }
}
