package dev.strata.emulator.machine;

import dev.strata.emulator.clock.ClockMode;
import dev.strata.emulator.cpu.translate.JitMode;
import dev.strata.emulator.device.uart.SerialSink;
import dev.strata.emulator.device.uart.SerialSource;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Objects;
import java.util.function.IntConsumer;

/**
 * What a PC is built from: memory size, the drives' images, boot order, clock mode, where the serial ports and
 * debug ports send their output, the RTC's start time, and the firmware. Setters validate and return {@code this}.
 */
public final class MachineSettings {
    private dev.strata.storage.chain.ParentResolver parentResolver;

    /** Largest RAM Strata models: RAM is one Java array, and the top of the 4 GiB space holds the ROM alias. */
    public static final int MAX_MEMORY_MB = 2000;
    /** Time the RTC starts at in deterministic mode, so every run sees the same date. */
    public static final LocalDateTime DETERMINISTIC_START = LocalDateTime.of(2026, 1, 1, 0, 0, 0);

    /** Ports of the AHCI controller (an ICH9 has six). */
    public static final int SATA_PORTS = 6;

    private int memoryMb = 32;
    private final Path[] floppies = new Path[2];
    private final Path[] hardDisks = new Path[4];
    private final boolean[] readOnlyDisks = new boolean[4];
    private Path cdrom;
    private final SataDrive[] sataPorts = new SataDrive[SATA_PORTS];
    private boolean snapshot;
    private String bootOrder = "acd";
    private ClockMode clockMode = ClockMode.REALTIME;
    private JitMode jit = JitMode.ON;
    private final SerialSink[] serialSinks = {SerialSink.NONE, SerialSink.NONE, SerialSink.NONE, SerialSink.NONE};
    private final SerialSource[] serialSources = new SerialSource[4];
    private boolean serialLineRate;
    private IntConsumer debugConsole = b -> { };
    private IntConsumer postCodes = code -> { };
    private LocalDateTime rtcStart;
    private Firmware firmware;
    private KernelBoot kernelBoot;

    /** RAM in MiB, 1 to {@link #MAX_MEMORY_MB}. */
    public MachineSettings memoryMb(int mb) {
        if (mb < 1 || mb > MAX_MEMORY_MB) {
            throw new IllegalArgumentException("memory must be 1 to " + MAX_MEMORY_MB + " MB, got " + mb);
        }
        this.memoryMb = mb;
        return this;
    }

    public int memoryMb() {
        return memoryMb;
    }

    /** The image in floppy drive 0 (A:) or 1 (B:), or null for an empty drive. */
    public MachineSettings floppy(int drive, Path image) {
        checkIndex("floppy drive", drive, floppies.length);
        floppies[drive] = image;
        return this;
    }

    public Path floppy(int drive) {
        checkIndex("floppy drive", drive, floppies.length);
        return floppies[drive];
    }

    /** The image of hard disk 0..3 (BIOS drives 80h..83h), or null for none. */
    public MachineSettings hardDisk(int index, Path image) {
        checkIndex("hard disk", index, hardDisks.length);
        hardDisks[index] = image;
        return this;
    }

    public Path hardDisk(int index) {
        checkIndex("hard disk", index, hardDisks.length);
        return hardDisks[index];
    }

    /** Makes hard disk {@code index} read-only (a readonly medium): the guest's writes fail. */
    public MachineSettings hardDiskReadOnly(int index, boolean readOnly) {
        checkIndex("hard disk", index, hardDisks.length);
        readOnlyDisks[index] = readOnly;
        return this;
    }

    public boolean hardDiskReadOnly(int index) {
        checkIndex("hard disk", index, hardDisks.length);
        return readOnlyDisks[index];
    }

    /**
     * The ISO image in the CD-ROM drive, or null for none. The drive is the secondary master (as QEMU's
     * {@code -cdrom}), so it cannot be combined with hard disk 2 (hdc); the image is opened read-only.
     */
    public MachineSettings cdrom(Path iso) {
        this.cdrom = iso;
        return this;
    }

    public Path cdrom() {
        return cdrom;
    }

    /**
     * Puts a hard disk over {@code image} in {@code slot}: an IDE drive (0..3) or a SATA port; {@code readOnly} for a
     * readonly medium (the guest's writes fail).
     */
    public MachineSettings hardDisk(DriveSlot slot, Path image, boolean readOnly) {
        switch (slot.bus()) {
            case IDE -> hardDisk(slot.index(), image).hardDiskReadOnly(slot.index(), readOnly);
            case SATA -> sata(slot.index(), SataDrive.hardDisk(image, readOnly));
            case FLOPPY -> throw new IllegalArgumentException(slot + " takes floppy images, not hard disk " + image);
        }
        return this;
    }

    /** Puts the CD/DVD drive holding {@code iso} in {@code slot}: the IDE secondary master (2) or a SATA port. */
    public MachineSettings cdrom(DriveSlot slot, Path iso) {
        switch (slot.bus()) {
            case IDE -> {
                if (slot.index() != 2) {
                    throw new IllegalArgumentException("the IDE CD-ROM drive is the secondary master (IDE drive 2),"
                            + " not " + slot);
                }
                cdrom(iso);
            }
            case SATA -> sata(slot.index(), SataDrive.dvd(iso));
            case FLOPPY -> throw new IllegalArgumentException(slot + " takes floppy images, not CD image " + iso);
        }
        return this;
    }

    /** True if an IDE or SATA hard disk is there to boot from (boot letter c). */
    public boolean anyHardDisk() {
        for (Path p : hardDisks) {
            if (p != null) {
                return true;
            }
        }
        for (SataDrive d : sataPorts) {
            if (d != null && !d.dvd()) {
                return true;
            }
        }
        return false;
    }

    /** True if an IDE or SATA CD/DVD drive is there to boot from (boot letter d). */
    public boolean anyCdrom() {
        if (cdrom != null) {
            return true;
        }
        for (SataDrive d : sataPorts) {
            if (d != null && d.dvd()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The drive on SATA port {@code port} (0..5), or null to leave it empty. A machine with any SATA drive gets an
     * AHCI controller on its PCI bus; its disks open like IDE disks (chains, readonly media, snapshot mode).
     */
    public MachineSettings sata(int port, SataDrive drive) {
        checkIndex("SATA port", port, sataPorts.length);
        sataPorts[port] = drive;
        return this;
    }

    public SataDrive sata(int port) {
        checkIndex("SATA port", port, sataPorts.length);
        return sataPorts[port];
    }

    /** True if any SATA port holds a drive, so the machine needs its AHCI controller. */
    public boolean hasSata() {
        for (SataDrive d : sataPorts) {
            if (d != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * Snapshot mode: every writable hard disk runs over a throwaway differencing image in a temporary folder that
     * is deleted when the machine closes, so nothing reaches the original images.
     */
    public MachineSettings snapshot(boolean on) {
        this.snapshot = on;
        return this;
    }

    public boolean snapshot() {
        return snapshot;
    }

    /**
     * Where hard disk chains find their parents (a VM's media registry, say); null finds them among the image
     * files in each child's folder.
     */
    public MachineSettings parentResolver(dev.strata.storage.chain.ParentResolver resolver) {
        this.parentResolver = resolver;
        return this;
    }

    public dev.strata.storage.chain.ParentResolver parentResolver() {
        return parentResolver;
    }

    /** Drives to boot from, tried left to right: letters a (floppy), c (hard disk), d (CD), e.g. "ca". */
    public MachineSettings bootOrder(String order) {
        if (order == null || !order.matches("[acd]{1,3}") || order.chars().distinct().count() != order.length()) {
            throw new IllegalArgumentException("boot order must be drive letters a, c or d, each at most once"
                    + " (e.g. \"c\" or \"ac\"), got \"" + order + "\"");
        }
        this.bootOrder = order;
        return this;
    }

    public String bootOrder() {
        return bootOrder;
    }

    public MachineSettings clockMode(ClockMode mode) {
        this.clockMode = Objects.requireNonNull(mode, "clock mode");
        return this;
    }

    public ClockMode clockMode() {
        return clockMode;
    }

    /** Whether the CPU translates hot code to JVM bytecode (on unless asked otherwise). */
    public MachineSettings jit(JitMode mode) {
        this.jit = Objects.requireNonNull(mode, "jit mode");
        return this;
    }

    public JitMode jit() {
        return jit;
    }

    /** Where COM{@code index + 1} sends what the guest transmits. */
    public MachineSettings serialSink(int index, SerialSink sink) {
        checkIndex("serial port", index, serialSinks.length);
        serialSinks[index] = sink == null ? SerialSink.NONE : sink;
        return this;
    }

    public SerialSink serialSink(int index) {
        checkIndex("serial port", index, serialSinks.length);
        return serialSinks[index];
    }

    /**
     * Whether the serial ports send at their programmed line rate, as physical ports do (true), or a character a
     * microsecond whatever the rate, as QEMU's and VirtualBox's do (false, the default). Receiving keeps to the
     * line rate either way.
     */
    public MachineSettings serialLineRate(boolean lineRate) {
        this.serialLineRate = lineRate;
        return this;
    }

    public boolean serialLineRate() {
        return serialLineRate;
    }

    /** Where COM{@code index + 1} receives from, or null for a silent line. */
    public MachineSettings serialSource(int index, SerialSource source) {
        checkIndex("serial port", index, serialSources.length);
        serialSources[index] = source;
        return this;
    }

    public SerialSource serialSource(int index) {
        checkIndex("serial port", index, serialSources.length);
        return serialSources[index];
    }

    /** Receives every byte written to the debug console port E9h. */
    public MachineSettings debugConsole(IntConsumer sink) {
        this.debugConsole = sink == null ? b -> { } : sink;
        return this;
    }

    public IntConsumer debugConsole() {
        return debugConsole;
    }

    /** Hears every POST code written to port 80h. */
    public MachineSettings postCodeListener(IntConsumer listener) {
        this.postCodes = listener == null ? code -> { } : listener;
        return this;
    }

    public IntConsumer postCodeListener() {
        return postCodes;
    }

    /** The wall time the RTC shows at power-on; null means now (realtime) or {@link #DETERMINISTIC_START}. */
    public MachineSettings rtcStart(LocalDateTime start) {
        this.rtcStart = start;
        return this;
    }

    public LocalDateTime rtcStart() {
        if (rtcStart != null) {
            return rtcStart;
        }
        return clockMode == ClockMode.DETERMINISTIC ? DETERMINISTIC_START : LocalDateTime.now().withNano(0);
    }

    public MachineSettings firmware(Firmware firmware) {
        this.firmware = firmware;
        return this;
    }

    /** The firmware to run; required before the machine is built. */
    public Firmware firmware() {
        return firmware;
    }

    /** A Linux kernel the firmware boots directly instead of the boot order's drives, or null for none. */
    public MachineSettings kernelBoot(KernelBoot boot) {
        this.kernelBoot = boot;
        return this;
    }

    public KernelBoot kernelBoot() {
        return kernelBoot;
    }

    private static void checkIndex(String what, int index, int count) {
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException(what + " must be 0.." + (count - 1) + ", got " + index);
        }
    }
}
