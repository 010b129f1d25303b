package dev.strata.emulator.gdb;

import dev.strata.emulator.cpu.CodeBreakpoints;
import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.paging.LinearPeek;
import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.memory.PhysicalMemory;
import dev.strata.emulator.memory.ReadWatch;
import dev.strata.emulator.memory.WriteWatch;
import dev.strata.emulator.monitor.MachineInfo;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link DebugTarget} of a running {@link PcMachine}: stops and resumes its {@link MachineRunner}, reads and
 * writes the CPU's registers and memory (linear addresses, looked up without side effects through
 * {@link LinearPeek}, or physical ones when gdb asks), and holds the breakpoints (checked by the CPU's run loop
 * through {@link CodeBreakpoints}, never patched into guest memory; a condition is evaluated there, so it holds in
 * any mode and segment) and the watchpoints (on the physical bytes the watched range mapped to when it was set:
 * writes heard through the memory's {@link WriteWatch}, reads through its {@link ReadWatch}; an access watchpoint
 * hears both).
 */
public final class MachineDebugTarget implements DebugTarget, CodeBreakpoints, WriteWatch, ReadWatch {

    private static final Logger LOG = LoggerFactory.getLogger(MachineDebugTarget.class);
    /** The widest range one watchpoint may cover. */
    static final int MAX_WATCH = 65536;

    private final PcMachine machine;
    private final MachineRunner runner;
    private final Cpu cpu;
    private final PhysicalMemory mem;
    private final LinearPeek peek;
    /** Linear breakpoint addresses, and for each whether it came from Z1 (hardware) and its conditions. */
    private volatile int[] points = new int[0];
    private volatile Breakpoint[] breakpoints = new Breakpoint[0];
    private final List<Watch> watches = new CopyOnWriteArrayList<>(); // read on the CPU thread
    /** Why the CPU thread stopped the run (a breakpoint or watchpoint), or null. */
    private volatile StopReason hit;
    /** The address the target resumed at: its breakpoint is passed over once, or gdb could never leave it. */
    private int resumedAt;
    private boolean passOver;
    private boolean stepping;
    private boolean halted;
    private long pausesBeforeResume;
    /** Whether gdb's memory addresses are physical (QEMU's PhyMemMode), not linear. */
    private volatile boolean physicalAddresses;
    /** Set while gdb itself writes memory, so its writes do not trigger watchpoints. */
    private volatile boolean writing;
    /** Set while gdb or a condition reads memory, so those reads do not trigger watchpoints. */
    private volatile boolean reading;

    /** A breakpoint: Z1 (hardware) or Z0, and the conditions of which one must hold (none: always stops). */
    private record Breakpoint(boolean hardware, List<AgentExpression> conditions) {
    }

    /** A watchpoint: its Z type, the address gdb gave, and the physical bytes it covers. */
    private record Watch(int type, long address, int length, int[] physical) {
        boolean hearsWrites() {
            return type != READ_WATCHPOINT;
        }

        boolean hearsReads() {
            return type != WRITE_WATCHPOINT;
        }
    }

    public MachineDebugTarget(PcMachine machine, MachineRunner runner) {
        this.machine = machine;
        this.runner = runner;
        this.cpu = machine.cpu();
        this.mem = machine.memory();
        this.peek = new LinearPeek(cpu, mem);
    }

    @Override
    public String targetDescription() {
        return I386Registers.TARGET_XML;
    }

    @Override
    public void halt() {
        if (!runner.isPaused()) {
            halted = true;
            runner.pause();
        }
        try {
            while (!runner.awaitPauseAfter(-1, 1000)) {
                runner.requestPause();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public byte[] readRegisters() {
        byte[] all = new byte[16 * 4 + 8 * 10 + 8 * 4];
        int at = 0;
        for (int n = 0; n < I386Registers.COUNT; n++) {
            byte[] r = I386Registers.read(cpu, n);
            System.arraycopy(r, 0, all, at, r.length);
            at += r.length;
        }
        return all;
    }

    @Override
    public boolean writeRegisters(byte[] data) {
        int at = 0;
        boolean ok = true;
        for (int n = 0; n < I386Registers.COUNT && at < data.length; n++) {
            int size = I386Registers.size(n);
            if (at + size > data.length) {
                return false;
            }
            if (n < I386Registers.FIRST_ST) {
                ok &= I386Registers.write(cpu, n, Arrays.copyOfRange(data, at, at + size));
            }
            at += size;
        }
        return ok;
    }

    @Override
    public byte[] readRegister(int number) {
        return I386Registers.read(cpu, number);
    }

    @Override
    public boolean writeRegister(int number, byte[] value) {
        return I386Registers.write(cpu, number, value);
    }

    /** Where gdb's address {@code address} lies in physical memory now, or -1 when its page is not mapped. */
    private long physical(long address) {
        if (physicalAddresses) {
            return address >= 0 && address <= 0xFFFFFFFFL ? address : -1;
        }
        return peek.physical(address);
    }

    @Override
    public boolean physicalAddresses(boolean physical) {
        physicalAddresses = physical;
        return true;
    }

    @Override
    public boolean physicalAddresses() {
        return physicalAddresses;
    }

    @Override
    public byte[] readMemory(long address, int length) {
        reading = true;
        try {
            if (!physicalAddresses) {
                return peek.read(address, length);
            }
            int n = (int) Math.max(0, Math.min(length, 0x1_0000_0000L - address));
            byte[] out = new byte[address < 0 ? 0 : n];
            for (int i = 0; i < out.length; i++) {
                out[i] = (byte) mem.read8((int) (address + i)); // no A20 gate: that masks the CPU's addresses
            }
            return out;
        } finally {
            reading = false;
        }
    }

    @Override
    public boolean writeMemory(long address, byte[] data) {
        long[] at = new long[data.length];
        for (int i = 0; i < data.length; i++) {
            at[i] = physical(address + i);
            if (at[i] < 0) {
                return false;
            }
        }
        writing = true;
        try {
            for (int i = 0; i < data.length; i++) {
                mem.write8((int) at[i], data[i]); // through the code-line check: decoded code there is dropped
            }
        } finally {
            writing = false;
        }
        cpu.blockExit = false; // the CPU is stopped: there is no running block to leave
        return true;
    }

    @Override
    public boolean insertPoint(int type, long address, int length, List<AgentExpression> conditions) {
        switch (type) {
            case SOFTWARE_BREAKPOINT, HARDWARE_BREAKPOINT -> {
                removeCodePoint((int) address);
                int[] p = Arrays.copyOf(points, points.length + 1);
                Breakpoint[] b = Arrays.copyOf(breakpoints, breakpoints.length + 1);
                p[p.length - 1] = (int) address;
                b[b.length - 1] = new Breakpoint(type == HARDWARE_BREAKPOINT, List.copyOf(conditions));
                breakpoints = b;
                points = p;
                cpu.setBreakpoints(this);
                return true;
            }
            case WRITE_WATCHPOINT, READ_WATCHPOINT, ACCESS_WATCHPOINT -> {
                addWatch(type, address, length);
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    @Override
    public boolean removePoint(int type, long address, int length) {
        switch (type) {
            case SOFTWARE_BREAKPOINT, HARDWARE_BREAKPOINT -> {
                removeCodePoint((int) address);
                return true;
            }
            case WRITE_WATCHPOINT, READ_WATCHPOINT, ACCESS_WATCHPOINT -> {
                watches.removeIf(w -> w.type() == type && w.address() == address && w.length() == length);
                rewatchPages();
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private void removeCodePoint(int address) {
        int[] p = points;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == address) {
                int[] np = new int[p.length - 1];
                Breakpoint[] nb = new Breakpoint[p.length - 1];
                System.arraycopy(p, 0, np, 0, i);
                System.arraycopy(p, i + 1, np, i, p.length - i - 1);
                System.arraycopy(breakpoints, 0, nb, 0, i);
                System.arraycopy(breakpoints, i + 1, nb, i, p.length - i - 1);
                breakpoints = nb;
                points = np;
                break;
            }
        }
        cpu.setBreakpoints(points.length == 0 ? null : this);
    }

    private void addWatch(int type, long address, int length) {
        if (length <= 0 || length > MAX_WATCH) {
            throw new IllegalArgumentException("watchpoint length " + length + " is not between 1 and " + MAX_WATCH);
        }
        int[] physical = new int[length];
        for (int i = 0; i < length; i++) {
            long p = physical(address + i);
            if (p < 0) {
                throw new IllegalArgumentException("watchpoint at " + Long.toHexString(address) + ": page not mapped");
            }
            physical[i] = (int) p;
        }
        watches.add(new Watch(type, address, length, physical));
        rewatchPages();
    }

    /** Puts exactly the pages the watchpoints cover on the memory's write slow path, and those watched for reads. */
    private void rewatchPages() {
        int pages = (int) (mem.size() >>> PhysicalMemory.PAGE_SHIFT);
        boolean[] written = new boolean[pages];
        boolean[] read = new boolean[pages];
        for (Watch w : watches) {
            for (int p : w.physical()) {
                int page = p >>> PhysicalMemory.PAGE_SHIFT;
                if (page >= 0 && page < pages) {
                    written[page] |= w.hearsWrites();
                    read[page] |= w.hearsReads();
                }
            }
        }
        for (int page = 0; page < pages; page++) {
            mem.watchPage(page, written[page], this);
            mem.watchReads(page, read[page], this);
        }
    }

    @Override
    public void resume(boolean step) {
        hit = null;
        halted = false;
        stepping = step;
        resumedAt = cpu.cs.base + cpu.eip;
        passOver = true;
        pausesBeforeResume = runner.pauses();
        if (step) {
            runner.step();
        } else {
            runner.resume();
        }
    }

    @Override
    public StopReason awaitStop(long millis) throws InterruptedException {
        if (!runner.awaitPauseAfter(pausesBeforeResume, millis)) {
            return null;
        }
        if (runner.outcome() != null) {
            return StopReason.EXITED;
        }
        StopReason reason = hit;
        if (reason != null) {
            return reason;
        }
        return stepping && !halted ? StopReason.STEPPED : StopReason.INTERRUPTED;
    }

    /** {@code monitor info TOPIC [ARG...]}: the monitor's {@link MachineInfo}, as on the control socket. */
    @Override
    public String monitor(String command) {
        List<String> words = List.of(command.split("\\s+"));
        if (words.size() < 2 || !words.get(0).equals("info")) {
            return "Strata's monitor knows: info " + String.join("|", MachineInfo.TOPICS)
                    + " (info mem takes ADDRESS LENGTH)\n";
        }
        try {
            return String.join("\n", new MachineInfo(machine).show(words.get(1), words.subList(2, words.size())))
                    + "\n";
        } catch (IllegalArgumentException e) {
            return e.getMessage() + "\n";
        }
    }

    @Override
    public void detach() {
        points = new int[0];
        breakpoints = new Breakpoint[0];
        cpu.setBreakpoints(null);
        watches.clear();
        rewatchPages();
        physicalAddresses = false;
        hit = null;
        runner.resume();
    }

    @Override
    public void kill() {
        detach();
        machine.requestPowerOff();
    }

    // ---------------------------------------------------------------- CPU thread

    @Override
    public boolean stopsBefore(int linear) {
        if (passOver) {
            passOver = false;
            if (linear == resumedAt) {
                return false;
            }
        }
        int[] p = points;
        Breakpoint[] b = breakpoints;
        for (int i = 0; i < p.length && i < b.length; i++) {
            if (p[i] == linear && holds(b[i].conditions())) {
                StopReason.Kind kind = cpu.eip != linear ? StopReason.Kind.SEGMENTED_BREAKPOINT
                        : b[i].hardware() ? StopReason.Kind.HARDWARE_BREAKPOINT : StopReason.Kind.SOFTWARE_BREAKPOINT;
                hit = new StopReason(kind, linear & 0xFFFFFFFFL);
                runner.requestPause();
                return true;
            }
        }
        return false;
    }

    /**
     * True when a breakpoint with {@code conditions} stops here: it has none, or one is true. A condition that cannot
     * be evaluated (a page not present, a division by zero) stops, as gdb stops at a condition it cannot evaluate.
     */
    private boolean holds(List<AgentExpression> conditions) {
        if (conditions.isEmpty()) {
            return true;
        }
        reading = true;
        try {
            for (AgentExpression c : conditions) {
                if (c.evaluate(conditionMachine) != 0) {
                    return true;
                }
            }
            return false;
        } catch (IllegalStateException e) {
            LOG.debug("gdb: breakpoint condition: {}; stopping", e.getMessage());
            return true;
        } finally {
            reading = false;
        }
    }

    /** What a condition reads: the registers gdb numbers and linear memory, as gdb would read them. */
    private final AgentExpression.Machine conditionMachine = new AgentExpression.Machine() {
        @Override
        public long register(int number) {
            byte[] r = I386Registers.read(cpu, number);
            if (r == null) {
                throw new IllegalStateException("agent expression reads register " + number + ", which gdb's i386"
                        + " layout does not have");
            }
            long v = 0;
            for (int i = Math.min(8, r.length) - 1; i >= 0; i--) {
                v = v << 8 | (r[i] & 0xFF);
            }
            return v;
        }

        @Override
        public byte[] memory(long linear, int length) {
            return peek.read(linear, length);
        }
    };

    @Override
    public boolean anyIn(int linear, int length) {
        for (int p : points) {
            if (Integer.compareUnsigned(p - linear, length) < 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void written(int physical, int length) {
        if (!writing) {
            watched(physical, length, true);
        }
    }

    @Override
    public void read(int physical, int length) {
        if (!reading) {
            watched(physical, length, false);
        }
    }

    /** A guest access to a watched page: stops after the instruction when it touches a watchpoint that hears it. */
    private void watched(int physical, int length, boolean write) {
        if (hit != null) {
            return;
        }
        for (Watch w : watches) {
            if (write ? !w.hearsWrites() : !w.hearsReads()) {
                continue;
            }
            for (int p : w.physical()) {
                if (Integer.compareUnsigned(p - physical, length) < 0) {
                    hit = new StopReason(switch (w.type()) {
                        case READ_WATCHPOINT -> StopReason.Kind.READ_WATCHPOINT;
                        case ACCESS_WATCHPOINT -> StopReason.Kind.ACCESS_WATCHPOINT;
                        default -> StopReason.Kind.WATCHPOINT;
                    }, w.address());
                    cpu.blockExit = true; // stop after the accessing instruction, as a debug trap would
                    cpu.endRun();
                    runner.requestPause();
                    return;
                }
            }
        }
    }
}
