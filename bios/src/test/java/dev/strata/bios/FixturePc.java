package dev.strata.bios;

import dev.strata.emulator.clock.MachineClock;
import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.device.PortDevice;
import dev.strata.emulator.device.debug.PostCodePort;
import dev.strata.emulator.device.keyboard.Kbc8042;
import dev.strata.emulator.device.pic.DualPic;
import dev.strata.emulator.device.pit.Pit8254;
import dev.strata.emulator.device.pit.SystemControlPort;
import dev.strata.emulator.device.rtc.Mc146818Rtc;
import dev.strata.emulator.device.uart.ComPort;
import dev.strata.emulator.device.uart.Uart16550;
import dev.strata.emulator.device.vga.VgaDevice;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.io.IoPortHandler;
import dev.strata.emulator.machine.PcHardware;
import dev.strata.emulator.memory.PhysicalMemory;
import dev.strata.storage.image.DiskImage;
import java.io.ByteArrayOutputStream;
import java.time.LocalDateTime;

/**
 * A small PC for the BIOS tests: flat RAM (the ROM copied to F0000h, text video memory is plain RAM at B8000h),
 * the PC's interrupt controllers, timer, RTC, keyboard controller, VGA registers and COM1, a deterministic clock and
 * a run loop. The real machine lives in the emulator's machine package; this one only has to exercise the BIOS.
 */
final class FixturePc implements PcHardware {

    static final int RAM = 4 * 1024 * 1024;
    static final int CODE = 0x10000;

    final PhysicalMemory memory = new PhysicalMemory(RAM);
    final IoBus io = new IoBus();
    final Cpu cpu = new Cpu(memory, io);
    final MachineClock clock = MachineClock.deterministic(MachineClock.DEFAULT_NANOS_PER_INSTRUCTION);
    final DualPic pic = new DualPic();
    final Pit8254 pit;
    final Mc146818Rtc rtc;
    final Kbc8042 kbc;
    final VgaDevice vga = new VgaDevice(clock.clock());
    final Uart16550 com1;
    final PostCodePort post = new PostCodePort();
    final ByteArrayOutputStream serialOut = new ByteArrayOutputStream();
    final StrataBios bios = new StrataBios();
    final DiskImage[] floppies = new DiskImage[2];
    final DiskImage[] hardDisks = new DiskImage[4];
    DiskImage cdrom;
    String bootOrder = "a";
    int resets;

    FixturePc() {
        pit = new Pit8254(clock.scheduler(), pic.irqLine(0));
        rtc = new Mc146818Rtc(clock.scheduler(), pic.irqLine(8), LocalDateTime.of(2026, 11, 21, 6, 30, 15));
        kbc = new Kbc8042(clock.scheduler(), pic.irqLine(1), pic.irqLine(12));
        com1 = new Uart16550(ComPort.COM1, clock.scheduler(), pic.irqLine(4), serialOut::write);
        pic.connectCpu(cpu::setIntr);
        cpu.setInterruptAcknowledge(pic::acknowledge);
        kbc.setA20Listener(memory::setA20);
        kbc.setResetListener(() -> resets++);
        map(pic, DualPic.ports());
        map(pit, 0x40, 0x41, 0x42, 0x43);
        map(new SystemControlPort(pit, clock.clock()), 0x61);
        map(rtc, 0x70, 0x71);
        map(kbc, 0x60, 0x64);
        map(post, 0x80);
        for (int p = 0x3B0; p <= 0x3DF; p++) {
            map(vga, p);
        }
        for (int p = 0; p < 8; p++) {
            map(com1, ComPort.COM1.base() + p);
        }
        memory.load(0xF0000, bios.romImage());
    }

    private void map(PortDevice device, int... ports) {
        IoPortHandler h = new IoPortHandler() {
            @Override
            public int in(int port, int size) {
                int v = 0;
                for (int i = 0; i < size; i++) {
                    v |= device.readPort(port + i) << (8 * i);
                }
                return v;
            }

            @Override
            public void out(int port, int size, int value) {
                for (int i = 0; i < size; i++) {
                    device.writePort(port + i, value >>> (8 * i) & 0xFF);
                }
            }
        };
        for (int p : ports) {
            io.register(p, 1, h);
        }
    }

    /** Powers on and runs the ROM from the reset vector through POST, stopping before the boot loader. */
    FixturePc post() {
        bios.powerOn(this);
        cpu.reset();
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
    FixturePc runCode(long maxInstructions, int... code) {
        for (int i = 0; i < code.length; i++) {
            memory.write8(CODE + i, code[i]);
        }
        cpu.loadSegment(Cpu.CS, CODE >> 4);
        cpu.eip = 0;
        Flags.set(cpu, 0, Flags.IF);
        cpu.halted = false;
        return run(maxInstructions);
    }

    /** The machine's main loop: CPU batches up to the next timer event, events, and idling in HLT. */
    FixturePc run(long maxInstructions) {
        long start = cpu.instructions;
        while (cpu.instructions - start < maxInstructions) {
            long budget = clock.instructionBudget(20_000);
            long done = cpu.run(budget);
            clock.instructionsExecuted(done);
            clock.runDueEvents();
            if (cpu.halted) {
                if ((Flags.get(cpu) & Flags.IF) == 0) {
                    break;
                }
                if (!pic.hasInterrupt() && !clock.idle()) {
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

    void set(int reg, int value) {
        cpu.r[reg] = value;
    }

    /** Row {@code row} of the colour text screen in RAM, trailing spaces removed. */
    String screenLine(int row) {
        int columns = memory.read16(0x44A);
        StringBuilder sb = new StringBuilder();
        int page = memory.read16(0x44E);
        for (int c = 0; c < columns; c++) {
            sb.append((char) memory.read8(0xB8000 + page + (row * columns + c) * 2));
        }
        return sb.toString().replaceAll("\\s+$", "");
    }

    String screenText() {
        StringBuilder sb = new StringBuilder();
        int rows = memory.read8(0x484) + 1;
        for (int r = 0; r < rows; r++) {
            sb.append(screenLine(r)).append('\n');
        }
        return sb.toString();
    }

    // ---- PcHardware ----

    @Override
    public Cpu cpu() {
        return cpu;
    }

    @Override
    public PhysicalMemory memory() {
        return memory;
    }

    @Override
    public IoBus io() {
        return io;
    }

    @Override
    public MachineClock clock() {
        return clock;
    }

    @Override
    public DualPic pic() {
        return pic;
    }

    @Override
    public Pit8254 pit() {
        return pit;
    }

    @Override
    public Mc146818Rtc rtc() {
        return rtc;
    }

    @Override
    public Kbc8042 keyboardController() {
        return kbc;
    }

    @Override
    public VgaDevice vga() {
        return vga;
    }

    @Override
    public Uart16550 serial(int index) {
        return index == 0 ? com1 : null;
    }

    @Override
    public PostCodePort postPort() {
        return post;
    }

    @Override
    public long memorySize() {
        return RAM;
    }

    @Override
    public DiskImage floppy(int drive) {
        return floppies[drive];
    }

    @Override
    public DiskImage hardDisk(int index) {
        return hardDisks[index];
    }

    @Override
    public DiskImage cdrom() {
        return cdrom;
    }

    @Override
    public String bootOrder() {
        return bootOrder;
    }

    @Override
    public void requestPowerOff() {
    }

    @Override
    public void requestReset() {
        resets++;
    }
}
