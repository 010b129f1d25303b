package dev.strata.bios;

import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.clock.MachineClock;
import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.device.keyboard.Kbc8042;
import dev.strata.emulator.device.uart.Uart16550;
import dev.strata.emulator.device.vga.VgaDevice;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.emulator.memory.PhysicalMemory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.LocalDateTime;

/**
 * The BIOS tests' view of a real {@link PcMachine} running {@link StrataBios} on a deterministic clock: POST up to
 * the boot loader, running a code snippet that ends in HLT, the registers and flags tests read, and the screen.
 */
final class BiosTestPc implements AutoCloseable {

    static final int CODE = 0x10000;
    /** Whole MiB of RAM: 3 MiB above the first, which the memory-size services report. */
    static final int MEMORY_MB = 4;
    static final int RAM = MEMORY_MB << 20;

    final PcMachine machine;
    final Cpu cpu;
    final PhysicalMemory memory;
    final Kbc8042 kbc;
    final VgaDevice vga;
    final Uart16550 com1;
    final ByteArrayOutputStream serialOut = new ByteArrayOutputStream();
    private final MachineClock clock;

    /** Settings for a BIOS test: Strata's BIOS, 4 MiB, deterministic time from a fixed date, boot from A:. */
    static MachineSettings settings() {
        return new MachineSettings()
                .firmware(new StrataBios())
                .memoryMb(MEMORY_MB)
                .clockMode(ClockMode.DETERMINISTIC)
                .rtcStart(LocalDateTime.of(2026, 11, 21, 6, 30, 15))
                .bootOrder("a");
    }

    /** A machine with no drives. */
    BiosTestPc() {
        this(settings());
    }

    /** A machine built from {@code settings}, which opens their images (close it to close them). */
    BiosTestPc(MachineSettings settings) {
        try {
            machine = new PcMachine(settings);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        cpu = machine.cpu();
        memory = machine.memory();
        kbc = machine.keyboardController();
        vga = machine.vga();
        com1 = machine.serial(0);
        clock = machine.clock();
        machine.addSerialListener(0, serialOut::write);
    }

    /** Runs the ROM from the reset vector through POST, stopping before the boot loader. */
    BiosTestPc post() {
        for (int i = 0; i < 10; i++) {
            cpu.run(1);
            if (cpu.seg[Cpu.CS].selector == BiosRom.SEGMENT && cpu.eip == BiosRom.POST_ENTRY + 3) {
                return this;
            }
        }
        throw new AssertionError("POST did not complete: CS:IP " + Integer.toHexString(cpu.seg[Cpu.CS].selector)
                + ":" + Integer.toHexString(cpu.eip));
    }

    /**
     * Runs {@code code} at 1000:0000 with interrupts off until it halts with interrupts off (end snippets with HLT)
     * or {@code maxInstructions} pass.
     */
    BiosTestPc runCode(long maxInstructions, int... code) {
        for (int i = 0; i < code.length; i++) {
            memory.write8(CODE + i, code[i]);
        }
        cpu.loadSegment(Cpu.CS, CODE >> 4);
        cpu.eip = 0;
        Flags.set(cpu, 0, Flags.IF);
        cpu.halted = false;
        return run(maxInstructions);
    }

    /**
     * Runs as the machine's runner does (CPU batches up to the next timer event, then the events, HLT as idle time)
     * until the CPU halts with interrupts off, nothing can wake it, a reset is requested or
     * {@code maxInstructions} pass.
     */
    BiosTestPc run(long maxInstructions) {
        long start = cpu.instructions;
        while (cpu.instructions - start < maxInstructions && !machine.resetRequested()) {
            long done = cpu.run(clock.instructionBudget(20_000));
            clock.instructionsExecuted(done);
            clock.runDueEvents();
            if (cpu.halted) {
                if ((Flags.get(cpu) & Flags.IF) == 0) {
                    break;
                }
                if (!machine.pic().hasInterrupt() && !clock.idle()) {
                    break;
                }
            }
        }
        return this;
    }

    int ax() {
        return cpu.r[Cpu.EAX] & 0xFFFF;
    }

    boolean carry() {
        return (Flags.get(cpu) & Flags.CF) != 0;
    }

    boolean zero() {
        return (Flags.get(cpu) & Flags.ZF) != 0;
    }

    /** Row {@code row} of the screen the VGA shows, trailing spaces removed. */
    String screenLine(int row) {
        return vga.textScreen().line(row).stripTrailing();
    }

    /** The whole screen the VGA shows, a line per row. */
    String screenText() {
        return vga.textScreen().toText();
    }

    @Override
    public void close() {
        try {
            machine.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
