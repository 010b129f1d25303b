package dev.strata.emulator.gdb;

import dev.strata.emulator.cpu.CodeBreakpoints;
import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.paging.LinearPeek;
import dev.strata.emulator.machine.MachineRunner;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.memory.PhysicalMemory;
import dev.strata.emulator.memory.WriteWatch;
import dev.strata.emulator.monitor.MachineInfo;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link DebugTarget} of a running {@link PcMachine}: stops and resumes its {@link MachineRunner}, reads and
 * writes the CPU's registers and memory (linear addresses, looked up without side effects through
 * {@link LinearPeek}), and holds the breakpoints (checked by the CPU's run loop
 * through {@link CodeBreakpoints}, never patched into guest memory) and write watchpoints (on the physical bytes the
 * watched linear range mapped to when it was set, heard through the memory's {@link WriteWatch}).
 */
public final class MachineDebugTarget implements DebugTarget, CodeBreakpoints, WriteWatch {

    /** The widest range one watchpoint may cover. */
    static final int MAX_WATCH = 65536;

    private final PcMachine machine;
    private final MachineRunner runner;
    private final Cpu cpu;
    private final PhysicalMemory mem;
    private final LinearPeek peek;
    /** Linear breakpoint addresses, and whether each came from Z1 (hardware) rather than Z0. */
    private volatile int[] points = new int[0];
    private volatile boolean[] hardware = new boolean[0];
    private final List<Watch> watches = new CopyOnWriteArrayList<>(); // read on the CPU thread
    /** Why the CPU thread stopped the run (a breakpoint or watchpoint), or null. */
    private volatile StopReason hit;
    /** The address the target resumed at: its breakpoint is passed over once, or gdb could never leave it. */
    private int resumedAt;
    private boolean passOver;
    private boolean stepping;
    private boolean halted;
    private long pausesBeforeResume;
    /** Set while gdb itself writes memory, so its writes do not trigger watchpoints. */
    private volatile boolean writing;

    /** A write watchpoint: the address gdb gave, and the physical bytes it covers. */
    private record Watch(long address, int length, int[] physical) {
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

    private long physical(long linear) {
        return peek.physical(linear);
    }

    @Override
    public byte[] readMemory(long address, int length) {
        return peek.read(address, length);
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
    public boolean insertPoint(int type, long address, int length) {
        switch (type) {
            case SOFTWARE_BREAKPOINT, HARDWARE_BREAKPOINT -> {
                removeCodePoint((int) address);
                int[] p = Arrays.copyOf(points, points.length + 1);
                boolean[] h = Arrays.copyOf(hardware, hardware.length + 1);
                p[p.length - 1] = (int) address;
                h[h.length - 1] = type == HARDWARE_BREAKPOINT;
                hardware = h;
                points = p;
                cpu.setBreakpoints(this);
                return true;
            }
            case WRITE_WATCHPOINT -> {
                addWatch(address, length);
                return true;
            }
            default -> {
                return false; // read and access watchpoints would need a check on every read: not offered
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
            case WRITE_WATCHPOINT -> {
                watches.removeIf(w -> w.address() == address && w.length() == length);
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
                boolean[] nh = new boolean[p.length - 1];
                System.arraycopy(p, 0, np, 0, i);
                System.arraycopy(p, i + 1, np, i, p.length - i - 1);
                System.arraycopy(hardware, 0, nh, 0, i);
                System.arraycopy(hardware, i + 1, nh, i, p.length - i - 1);
                hardware = nh;
                points = np;
                break;
            }
        }
        cpu.setBreakpoints(points.length == 0 ? null : this);
    }

    private void addWatch(long address, int length) {
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
        watches.add(new Watch(address, length, physical));
        rewatchPages();
    }

    /** Puts exactly the pages the watchpoints cover on the memory's write slow path. */
    private void rewatchPages() {
        int pages = (int) (mem.size() >>> PhysicalMemory.PAGE_SHIFT);
        boolean[] watched = new boolean[pages];
        for (Watch w : watches) {
            for (int p : w.physical()) {
                int page = p >>> PhysicalMemory.PAGE_SHIFT;
                if (page >= 0 && page < pages) {
                    watched[page] = true;
                }
            }
        }
        for (int page = 0; page < pages; page++) {
            mem.watchPage(page, watched[page], this);
        }
    }

    @Override
    public void resume(boolean step) {
        hit = null;
        halted = false;
        stepping = step;
        resumedAt = cpu.seg[Cpu.CS].base + cpu.eip;
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
        hardware = new boolean[0];
        cpu.setBreakpoints(null);
        watches.clear();
        rewatchPages();
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
        for (int i = 0; i < p.length; i++) {
            if (p[i] == linear) {
                StopReason.Kind kind = cpu.eip != linear ? StopReason.Kind.SEGMENTED_BREAKPOINT
                        : hardware[i] ? StopReason.Kind.HARDWARE_BREAKPOINT : StopReason.Kind.SOFTWARE_BREAKPOINT;
                hit = new StopReason(kind, linear & 0xFFFFFFFFL);
                runner.requestPause();
                return true;
            }
        }
        return false;
    }

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
        if (writing || hit != null) {
            return;
        }
        for (Watch w : watches) {
            for (int p : w.physical()) {
                if (Integer.compareUnsigned(p - physical, length) < 0) {
                    hit = new StopReason(StopReason.Kind.WATCHPOINT, w.address());
                    cpu.blockExit = true; // stop after the writing instruction, as a debug trap would
                    cpu.endRun();
                    runner.requestPause();
                    return;
                }
            }
        }
    }
}
