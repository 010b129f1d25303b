package dev.strata.emulator.machine;

import dev.strata.emulator.clock.MachineClock;
import dev.strata.emulator.clock.TimedEvent;
import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.device.Device;
import dev.strata.emulator.device.debug.DebugConsolePort;
import dev.strata.emulator.device.ahci.AhciController;
import dev.strata.emulator.device.ahci.AhciPciFunction;
import dev.strata.emulator.device.ata.AtaDisk;
import dev.strata.emulator.device.ata.DmaMemory;
import dev.strata.emulator.device.ata.IdeController;
import dev.strata.emulator.device.debug.PostCodePort;
import dev.strata.emulator.device.keyboard.Kbc8042;
import dev.strata.emulator.device.mouse.Ps2Mouse;
import dev.strata.emulator.device.keyboard.KeyInputQueue;
import dev.strata.emulator.device.pic.DualPic;
import dev.strata.emulator.device.pit.Pit8254;
import dev.strata.emulator.device.pit.SystemControlPort;
import dev.strata.emulator.device.rtc.CmosSetup;
import dev.strata.emulator.device.rtc.FloppyDriveType;
import dev.strata.emulator.device.rtc.Mc146818Rtc;
import dev.strata.emulator.device.rtc.PrimaryDisplay;
import dev.strata.emulator.device.uart.ComPort;
import dev.strata.emulator.device.uart.SerialSource;
import dev.strata.emulator.device.uart.Uart16550;
import dev.strata.emulator.device.vga.VgaDevice;
import dev.strata.emulator.device.vga.VgaPciFunction;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.io.IoPortRange;
import dev.strata.emulator.memory.MemoryMapping;
import dev.strata.emulator.memory.PhysicalMemory;
import dev.strata.emulator.pci.I440fxPciSystem;
import dev.strata.emulator.pci.PciBarMapper;
import dev.strata.emulator.pci.PciInterruptRouter;
import dev.strata.storage.image.DiskImage;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PC/AT-compatible machine wired from {@link MachineSettings}: RAM with the legacy region (VGA window at
 * A0000h, open bus at C0000h, the firmware's ROM ending at 1 MiB and at 4 GiB), the A20 gate (keyboard controller
 * output port or port 92h), the port bus with every device, the interrupt controllers on the CPU's INTR line, NMI
 * through the RTC's mask, the 440FX/PIIX3 PCI bus (configuration ports CF8h-CFFh with the reset control register at
 * CF9h, PCI interrupts routed to the PIC), the PIIX3 IDE controller (legacy ports, IRQ 14/15, bus-master window
 * behind the IDE function's BAR4) with hard disks hda..hdd on primary/secondary master/slave and the CD-ROM drive
 * on the secondary master, the CMOS bytes a BIOS reads, and the drives' images ({@link MachineDisks}). Every device
 * is a {@link Device}: the machine plugs each one's ports and memory regions in one loop, resets them in one loop
 * and saves them in that order.
 *
 * <p>Everything here runs on one thread, the CPU thread ({@link MachineRunner} owns it). Other threads hand work
 * to that thread with {@link MachineRunner#execute}. Reset and power-off requests are flags the runner acts on
 * between CPU batches; a request stops the current batch at once.
 */
public final class PcMachine implements PcHardware, Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(PcMachine.class);

    /** The PCI slot of the AHCI controller (the first slot free for cards), when the machine has SATA drives. */
    public static final int SATA_PCI_DEVICE = I440fxPciSystem.FIRST_FREE_DEVICE;
    /**
     * The PCI slot of the VGA's function (its linear frame buffer). QEMU puts its VGA in slot 2; here slot 2 was
     * the AHCI controller's first, and saved machines with SATA drives keep it there.
     */
    public static final int VGA_PCI_DEVICE = SATA_PCI_DEVICE + 1;

    /** ROM sizes a PC BIOS image may have. */
    public static final List<Integer> ROM_SIZES = List.of(64 * 1024, 128 * 1024, 256 * 1024);

    /** Longest wait for the serial ports to drain before a power-off: 200 ms of virtual time. */
    public static final long DRAIN_LIMIT_NANOS = 200_000_000L;
    private static final long DRAIN_POLL_NANOS = 100_000L;

    private final MachineSettings settings;
    private final Firmware firmware;
    private final MachineClock clock;
    private final PhysicalMemory memory;
    private final IoBus io = new IoBus();
    private final Cpu cpu;
    private final DualPic pic = new DualPic();
    private final Pit8254 pit;
    private final Mc146818Rtc rtc;
    private final Kbc8042 kbc;
    private final KeyInputQueue keys;
    private final Ps2Mouse mouse = new Ps2Mouse();
    private final VgaDevice vga;
    private final Uart16550[] uarts = new Uart16550[4];
    private final PostCodePort post = new PostCodePort();
    private final FastA20Port portA;
    private final SystemControlPort systemControl;
    private final I440fxPciSystem pci = new I440fxPciSystem();
    private final DiskImage[] floppies = new DiskImage[2];
    private final DiskImage[] hardDisks = new DiskImage[4];
    private final AtaDisk[] ataDisks = new AtaDisk[4];
    private final DiskImage[] cdrom = new DiskImage[1];
    private final DiskImage[] sataImages = new DiskImage[MachineSettings.SATA_PORTS];
    private final MachineDisks disks;
    private final IdeController ide;
    private final AhciController ahci;
    private final List<Device> devices;
    @SuppressWarnings("unchecked")
    private final List<IntConsumer>[] serialListeners = new List[4];
    private final List<IntConsumer> debugListeners = new CopyOnWriteArrayList<>();

    private boolean resetRequested;
    private boolean powerOffRequested;
    private long resets;

    /**
     * Opens the drives' images and builds the machine, powered on with the CPU at F000:FFF0. Nothing runs yet.
     *
     * @throws IOException when an image cannot be opened (nothing stays open then)
     * @throws IllegalArgumentException when the settings or the firmware's ROM are unusable
     */
    public PcMachine(MachineSettings settings) throws IOException {
        this.settings = settings;
        this.firmware = settings.firmware();
        if (firmware == null) {
            throw new IllegalArgumentException("no firmware given: a PC needs a BIOS to start");
        }
        byte[] rom = firmware.romImage();
        checkRomSize(rom == null ? -1 : rom.length, firmware.description());
        if (settings.cdrom() != null && settings.hardDisk(2) != null) {
            throw new IllegalArgumentException("the CD-ROM drive is the secondary master, where hard disk 2 (hdc, "
                    + settings.hardDisk(2) + ") would go: give the third hard disk as hdd or drop the CD");
        }
        disks = new MachineDisks(settings.snapshot(), settings.parentResolver());
        openImages();

        clock = MachineClock.of(settings.clockMode());
        memory = new PhysicalMemory(settings.memoryMb() << 20);
        if (settings.kernelBoot() != null) {
            memory.allocateAllAhead(); // its loader fills RAM from the top as the machine starts
        }
        cpu = new Cpu(memory, io);
        cpu.setJit(settings.jit());
        // time moves inside a CPU batch in both clock modes (MachineClock.batchStarting), so the TSC and the PIT
        // read the one clock; port accesses take bus time as on a PC
        cpu.msr.tsc.timeSource(clock::nanos);
        io.onAccess(() -> {
            if (clock.portAccessed()) {
                cpu.endRun();
            }
        });
        vga = new VgaDevice(clock.clock());
        memory.mapLegacyRegion();
        memory.loadRom(rom);

        pic.connectCpu(cpu::setIntr);
        cpu.setInterruptAcknowledge(pic::acknowledge);
        pit = new Pit8254(clock.scheduler(), pic.irqLine(0));
        systemControl = new SystemControlPort(pit, clock.clock());
        rtc = new Mc146818Rtc(clock.scheduler(), pic.irqLine(Mc146818Rtc.IRQ), settings.rtcStart());
        kbc = new Kbc8042(clock.scheduler(), pic.irqLine(Kbc8042.KEYBOARD_IRQ), pic.irqLine(Kbc8042.AUX_IRQ));
        keys = new KeyInputQueue(clock.scheduler(), kbc.keyboard());
        kbc.attachAux(mouse); // a PS/2 mouse is always plugged in, as on QEMU's PC
        portA = new FastA20Port(this::updateA20, this::requestReset);
        kbc.setA20Listener(enabled -> updateA20());
        kbc.setResetListener(this::requestReset);
        for (ComPort com : ComPort.values()) {
            int index = com.ordinal();
            serialListeners[index] = new CopyOnWriteArrayList<>();
            List<IntConsumer> listeners = serialListeners[index];
            var sink = settings.serialSink(index);
            uarts[index] = new Uart16550(com, clock.scheduler(), pic.irqLine(com.irq()), b -> {
                sink.write(b);
                for (IntConsumer l : listeners) {
                    l.accept(b);
                }
            });
            uarts[index].setLineRateTransmit(settings.serialLineRate());
            SerialSource source = settings.serialSource(index);
            if (source != null) {
                uarts[index].setSource(source);
            }
        }
        post.setListener(settings.postCodeListener());
        IntConsumer debugSink = settings.debugConsole();
        DebugConsolePort debugConsole = new DebugConsolePort(b -> {
            debugSink.accept(b);
            for (IntConsumer l : debugListeners) {
                l.accept(b);
            }
        });
        cpu.fpu.connectFerr(pic.irqLine(13));
        pci.connectReset(this::requestReset);
        ide = new IdeController(DmaMemory.of(memory), pic.irqLine(IdeController.PRIMARY_IRQ),
                pic.irqLine(IdeController.SECONDARY_IRQ));
        ide.connect(pci.ide());
        ahci = settings.hasSata() ? new AhciController(DmaMemory.of(memory)) : null;
        if (ahci != null) {
            AhciPciFunction function = new AhciPciFunction();
            pci.bus().register(SATA_PCI_DEVICE, 0, function);
            ahci.connect(function);
        }
        VgaPciFunction vgaFunction = new VgaPciFunction();
        pci.bus().register(VGA_PCI_DEVICE, 0, vgaFunction);
        vga.connect(vgaFunction);
        new PciInterruptRouter(pci.isaBridge(), pic::irqLine).connectAll(pci.bus());

        // in saved-state order: each device's section is written and restored in this order; the AHCI
        // controller's section exists only on machines with SATA drives, so older files keep their sections
        List<Device> all = new ArrayList<>(List.of(pic, pit, systemControl, portA, rtc, kbc, keys, vga, uarts[0],
                uarts[1], uarts[2], uarts[3], post, debugConsole, new FpuErrorPort(cpu.fpu), pci, ide));
        if (ahci != null) {
            all.add(ahci);
        }
        devices = List.copyOf(all);
        for (Device device : devices) {
            plug(device);
        }
        new PciBarMapper(io, memory.map()).connectAll(pci.bus());
        attachDrives();

        setUpCmos();
        updateA20();
        firmware.powerOn(this);
    }

    /** Checks a BIOS image size; the message names the image and the sizes that work. */
    public static void checkRomSize(int bytes, String what) {
        if (!ROM_SIZES.contains(bytes)) {
            throw new IllegalArgumentException(what + ": a BIOS ROM image must be exactly 64, 128 or 256 KiB (65536,"
                    + " 131072 or 262144 bytes), but it is " + bytes + " bytes");
        }
    }

    private void openImages() throws IOException {
        try {
            for (int i = 0; i < floppies.length; i++) {
                floppies[i] = disks.floppy(settings.floppy(i));
            }
            for (int i = 0; i < hardDisks.length; i++) {
                hardDisks[i] = disks.hardDisk(settings.hardDisk(i), settings.hardDiskReadOnly(i));
            }
            cdrom[0] = disks.cdrom(settings.cdrom());
            for (int port = 0; port < sataImages.length; port++) {
                SataDrive drive = settings.sata(port);
                if (drive != null) {
                    sataImages[port] = drive.dvd() ? disks.cdrom(drive.image())
                            : disks.hardDisk(drive.image(), drive.readOnly());
                }
            }
        } catch (IOException | RuntimeException e) {
            closeImages();
            try {
                disks.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Hard disks 0..3 go to primary master, primary slave, secondary master, secondary slave; the CD-ROM drive
     * takes the secondary master (the settings refuse a third hard disk with it).
     */
    private void attachDrives() {
        for (int i = 0; i < hardDisks.length; i++) {
            if (hardDisks[i] != null) {
                ataDisks[i] = ide.attachDisk(i >> 1, i & 1, hardDisks[i]);
            }
        }
        if (cdrom[0] != null) {
            ide.attachCdrom(IdeController.SECONDARY, IdeController.MASTER).insert(cdrom[0]);
        }
        for (int port = 0; port < sataImages.length; port++) {
            if (sataImages[port] == null) {
                continue;
            }
            if (settings.sata(port).dvd()) {
                ahci.attachCdrom(port).cdrom().insert(sataImages[port]);
            } else {
                ahci.attachDisk(port, sataImages[port]);
            }
        }
    }

    /** Puts a device's ports on the port bus and its regions in the memory map (both refuse overlaps by name). */
    private void plug(Device device) {
        for (IoPortRange range : device.ioPorts()) {
            io.register(range);
        }
        for (MemoryMapping mapping : device.memoryRegions()) {
            memory.map().add(mapping);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug("{}: ports {}{}", device.name(), device.ioPorts().stream().map(IoPortRange::ports).toList(),
                    device.memoryRegions().isEmpty() ? "" : ", memory " + device.memoryRegions());
        }
    }

    private void setUpCmos() {
        CmosSetup cmos = new CmosSetup(rtc);
        cmos.memory(memorySize());
        cmos.floppyDrives(floppyType(floppies[0]), floppyType(floppies[1]));
        int floppyCount = (floppies[0] != null ? 1 : 0) + (floppies[1] != null ? 1 : 0);
        cmos.equipment(floppyCount, true, PrimaryDisplay.EGA_VGA);
        cmos.century(settings.rtcStart().getYear());
        for (int disk = 0; disk < 2; disk++) {
            DiskImage image = hardDisks[disk];
            if (image != null) {
                long cylinders = image.size() / 512 / (16 * 63);
                cmos.userDefinedHardDisk(disk, (int) Math.max(1, Math.min(0xFFFF, cylinders)), 16, 63);
            }
        }
    }

    /** The drive type a floppy image's size implies; 1.44 MB for sizes no standard format has. */
    static FloppyDriveType floppyType(DiskImage image) {
        if (image == null) {
            return FloppyDriveType.NONE;
        }
        long size = image.size();
        if (size <= 368_640) {
            return FloppyDriveType.DD_360K_525;
        }
        if (size == 737_280) {
            return FloppyDriveType.DD_720K_35;
        }
        if (size == 1_228_800) {
            return FloppyDriveType.HD_1200K_525;
        }
        if (size == 2_949_120) {
            return FloppyDriveType.ED_2880K_35;
        }
        return FloppyDriveType.HD_1440K_35;
    }

    private void updateA20() {
        memory.setA20(kbc.a20Enabled() || portA.a20Enabled());
    }

    // ---------------------------------------------------------------- control (CPU thread)

    /** Raises a non-maskable interrupt unless the guest masked NMI through port 70h bit 7. */
    public void raiseNmi() {
        if (!rtc.nmiMasked()) {
            cpu.raiseNmi();
        }
    }

    /**
     * Switches the hard disk in {@code slot} (IDE or SATA) to the image chain whose top is {@code top}, which must
     * read what the current one reads (an online snapshot's new differencing image over the current top). Call it
     * on the CPU thread between batches: the current image is flushed and closed first, and reopened when
     * {@code top} fails.
     */
    public void switchHardDisk(DriveSlot slot, Path top) throws IOException {
        AtaDisk drive = attachedDisk(slot);
        if (drive == null) {
            throw new IllegalArgumentException(slot + " holds no hard disk, so it cannot be switched to " + top);
        }
        DiskImage[] images = slot.bus() == DriveSlot.Bus.IDE ? hardDisks : sataImages;
        int i = slot.index();
        DiskImage old = images[i];
        Path oldPath = old.path();
        old.flush();
        old.close();
        DiskImage next;
        try {
            next = disks.hardDisk(top, false);
        } catch (IOException | RuntimeException e) {
            boolean readOnly = slot.bus() == DriveSlot.Bus.IDE ? settings.hardDiskReadOnly(i)
                    : settings.sata(i).readOnly();
            DiskImage back = disks.hardDisk(oldPath, readOnly);
            images[i] = back;
            drive.replaceImage(back);
            throw e;
        }
        images[i] = next;
        drive.replaceImage(next);
    }

    /** The ATA disk device in {@code slot}, or null when the slot holds none (empty, a CD drive, a floppy). */
    private AtaDisk attachedDisk(DriveSlot slot) {
        return switch (slot.bus()) {
            case IDE -> ataDisks[slot.index()];
            case SATA -> ahci == null || ahci.device(slot.index()) == null ? null
                    : ahci.device(slot.index()).disk();
            case FLOPPY -> null;
        };
    }

    /** Flushes every writable drive image so the files hold what the guest wrote (before saving or snapshotting). */
    public void flushImages() throws IOException {
        for (DiskImage[] drives : new DiskImage[][] {floppies, hardDisks, sataImages}) {
            for (DiskImage image : drives) {
                if (image != null && !image.readOnly()) {
                    image.flush();
                }
            }
        }
    }

    @Override
    public void requestPowerOff() {
        powerOffRequested = true;
        endBatch();
    }

    @Override
    public void requestReset() {
        resetRequested = true;
        endBatch();
    }

    /**
     * Makes {@link Cpu#run} return after the current instruction, without touching the CPU's own state: a power-off
     * with --save-state saves the machine right after, and a HLT faked here would be saved with it (a state saved
     * while interrupts were off then resumed into a CPU halted for good).
     */
    private void endBatch() {
        cpu.endRun();
        cpu.blockExit = true;
    }

    /**
     * Powers off once the serial ports have sent every byte the guest gave them and sent nothing more for
     * {@link #DRAIN_POLL_NANOS} of virtual time, so output already written, and the rest of a line the guest is
     * still writing (the same text going to COM1 after E9h, say), is not cut short; gives up waiting after
     * {@link #DRAIN_LIMIT_NANOS} of virtual time (a guest that never stops sending). CPU thread.
     */
    public void requestPowerOffAfterSerialDrain() {
        long giveUp = clock.nanos() + DRAIN_LIMIT_NANOS;
        long[] sentBefore = {serialSent()};
        TimedEvent[] check = new TimedEvent[1];
        check[0] = new TimedEvent("machine.drain", deadline -> {
            long sent = serialSent();
            if ((sent == sentBefore[0] && serialIdle()) || deadline >= giveUp) {
                requestPowerOff();
            } else {
                sentBefore[0] = sent;
                clock.scheduler().schedule(check[0], deadline + DRAIN_POLL_NANOS);
            }
        });
        clock.scheduler().scheduleIn(check[0], DRAIN_POLL_NANOS);
    }

    private boolean serialIdle() {
        for (Uart16550 uart : uarts) {
            if (!uart.transmitterEmpty()) {
                return false;
            }
        }
        return true;
    }

    private long serialSent() {
        long sent = 0;
        for (Uart16550 uart : uarts) {
            sent += uart.transmittedCount();
        }
        return sent;
    }

    public boolean powerOffRequested() {
        return powerOffRequested;
    }

    public boolean resetRequested() {
        return resetRequested;
    }

    /**
     * Resets the system as the reset line does: the CPU restarts at F000:FFF0, decoded code is dropped, port 92h
     * and the PCI functions return to their power-on values, and the firmware's {@link Firmware#powerOn} runs
     * again. RAM and the ISA devices keep their state, which the BIOS initializes anyway.
     */
    public void reset() {
        reset(true);
    }

    /** As {@link #reset()}; {@code resetCpu} false when the processor reset itself (triple fault). */
    void reset(boolean resetCpu) {
        resetRequested = false;
        resets++;
        if (resetCpu) {
            cpu.reset();
            cpu.flushDecodedCode();
        }
        for (Device device : devices) {
            device.machineReset();
        }
        updateA20();
        firmware.powerOn(this);
    }

    /** Resets performed since power-on (reset requests and triple faults). */
    public long resets() {
        return resets;
    }

    /** Hears every byte COM{@code index + 1} transmits (in addition to the settings' sink). CPU thread. */
    public void addSerialListener(int index, IntConsumer listener) {
        serialListeners[index].add(listener);
    }

    /** Hears every byte written to the debug console port E9h. */
    public void addDebugConsoleListener(IntConsumer listener) {
        debugListeners.add(listener);
    }

    /** The PS/2 mouse on the 8042's auxiliary port: move it and press its buttons on the CPU thread only. */
    public Ps2Mouse mouse() {
        return mouse;
    }

    /** Host keyboard input paced on the virtual clock; use it on the CPU thread only. */
    public KeyInputQueue keyInput() {
        return keys;
    }

    public Firmware firmware() {
        return firmware;
    }

    public MachineSettings settings() {
        return settings;
    }

    /** Flushes and closes every disk image. */
    @Override
    public void close() throws IOException {
        IOException failure = closeImages();
        try {
            disks.close();
        } catch (IOException e) {
            if (failure == null) {
                failure = e;
            } else {
                failure.addSuppressed(e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private IOException closeImages() {
        IOException failure = null;
        for (DiskImage[] drives : new DiskImage[][] {floppies, hardDisks, cdrom, sataImages}) {
            for (int i = 0; i < drives.length; i++) {
                DiskImage image = drives[i];
                if (image == null) {
                    continue;
                }
                drives[i] = null;
                try {
                    if (!image.readOnly()) {
                        image.flush();
                    }
                    image.close();
                } catch (IOException e) {
                    IOException named = new IOException(image.path() + ": could not flush and close the image: "
                            + e.getMessage(), e);
                    if (failure == null) {
                        failure = named;
                    } else {
                        failure.addSuppressed(named);
                    }
                }
            }
        }
        return failure;
    }

    /** Every device of the machine, in the order their saved-state sections are written. */
    public List<Device> devices() {
        return devices;
    }

    // ---------------------------------------------------------------- PcHardware

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

    /** Port 61h: the speaker gate, PIT counter 2's gate and output, the refresh toggle. */
    public SystemControlPort systemControl() {
        return systemControl;
    }

    /** Port 92h: fast A20 and the reset latch. */
    public FastA20Port fastA20() {
        return portA;
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
        return index >= 0 && index < uarts.length ? uarts[index] : null;
    }

    @Override
    public PostCodePort postPort() {
        return post;
    }

    @Override
    public long memorySize() {
        return (long) settings.memoryMb() << 20;
    }

    @Override
    public DiskImage floppy(int drive) {
        return drive >= 0 && drive < floppies.length ? floppies[drive] : null;
    }

    @Override
    public DiskImage hardDisk(int index) {
        return index >= 0 && index < hardDisks.length ? hardDisks[index] : null;
    }

    @Override
    public DiskImage cdrom() {
        return cdrom[0];
    }

    /** The PIIX3 IDE controller with the machine's hard disks and CD-ROM drive. */
    public IdeController ide() {
        return ide;
    }

    @Override
    public DiskImage sataHardDisk(int port) {
        SataDrive drive = port >= 0 && port < sataImages.length ? settings.sata(port) : null;
        return drive == null || drive.dvd() ? null : sataImages[port];
    }

    @Override
    public DiskImage sataCdrom(int port) {
        SataDrive drive = port >= 0 && port < sataImages.length ? settings.sata(port) : null;
        return drive == null || !drive.dvd() ? null : sataImages[port];
    }

    /** The AHCI controller with the machine's SATA drives, or null on a machine without any. */
    public AhciController ahci() {
        return ahci;
    }

    /** The image on SATA port {@code port} (a disk's chain or a CD image), or null. */
    public DiskImage sataImage(int port) {
        return port >= 0 && port < sataImages.length ? sataImages[port] : null;
    }

    /** The folder of snapshot mode's throwaway differencing images, or null when there is none. */
    public Path snapshotFolder() {
        return disks.scratchFolder();
    }

    @Override
    public I440fxPciSystem pci() {
        return pci;
    }

    @Override
    public String bootOrder() {
        return settings.bootOrder();
    }

    @Override
    public KernelBoot kernelBoot() {
        return settings.kernelBoot();
    }
}
