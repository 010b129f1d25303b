package dev.strata.bios;

import dev.strata.emulator.state.FieldCodec;
import dev.strata.emulator.state.StateClass;
import dev.strata.emulator.state.StateField;
import dev.strata.emulator.state.StateFileException;
import dev.strata.emulator.state.StateReader;
import dev.strata.emulator.state.StateWriter;
import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.io.IoPortHandler;
import dev.strata.emulator.io.IoPortRange;
import dev.strata.emulator.machine.Firmware;
import dev.strata.emulator.machine.PcHardware;

/**
 * Strata's own PC BIOS: a 64 KiB ROM of trap stubs ({@link BiosRom}) whose services are the Java classes of this
 * package, one per service area. The ROM enters Java with {@code OUT 0E5h,AL} ({@link #SERVICE_PORT}, a port no PC
 * device decodes); the port handler looks at which ROM address executed the OUT and runs the matching service on
 * the CPU's live registers.
 *
 * <p>Use: {@code new StrataBios()}; the machine maps {@link #romImage()} at F0000h-FFFFFh and calls
 * {@link #powerOn} after building its devices and before the CPU starts at F000:FFF0.
 */
@StateClass("dev.strata.bios.StrataBios")
public final class StrataBios implements Firmware {

    /** The I/O port the ROM's trap stubs write to. Unused on the PC/AT (E0h-EFh are reserved; E9h is debug out). */
    public static final int SERVICE_PORT = 0xE5;
    public static final String VERSION = "0.1";
    private static final String NAME = "Strata BIOS " + VERSION;

    private final transient byte[] rom = BiosRom.build(NAME, "11/21/26");
    @StateField("log") private final CallLog log = new CallLog(64);
    private transient PcHardware hw;
    @StateField("call") private BiosCall call;
    private transient Post post;
    private transient VideoServices video;
    private transient DiskServices disks; // refers to disk images: saved by hand after the fields
    @StateField("keyboard") private KeyboardServices keyboard;
    @StateField("system") private SystemServices system;
    @StateField("power") private PowerServices power;
    private transient TimeServices time;
    private transient MouseServices mouse; // keeps its state in the EBDA, which is RAM
    @StateField("serial") private SerialServices serial;
    @StateField("boot") private BootServices boot;
    @StateField("calls") private long calls;
    private transient IoPortRange servicePort;

    @Override
    public byte[] romImage() {
        return rom.clone();
    }

    @Override
    public String description() {
        return NAME;
    }

    @Override
    public void powerOn(PcHardware hardware) {
        this.hw = hardware;
        this.call = new BiosCall(hardware);
        this.video = new VideoServices(hardware.memory(), hardware.io());
        this.disks = new DiskServices(hardware);
        this.keyboard = new KeyboardServices(hardware);
        this.system = new SystemServices(hardware);
        this.power = new PowerServices();
        this.time = new TimeServices(hardware.memory(), hardware.io());
        this.mouse = new MouseServices(hardware.memory(), hardware.io(), hardware.keyboardController());
        this.serial = new SerialServices(hardware.memory(), hardware.io(), hardware.clock());
        this.boot = new BootServices(hardware, video, disks, linuxLoader(hardware));
        this.post = new Post(hardware, video, time, disks, NAME);
        if (servicePort == null || hardware.io().owner(SERVICE_PORT) != servicePort) {
            // once per machine: a reset powers the BIOS on again on the same port bus
            servicePort = hardware.io().register("bios.services", SERVICE_PORT, 1, new IoPortHandler() {
                @Override
                public int in(int port, int size) {
                    return 0xFF;
                }

                @Override
                public void out(int port, int size, int value) {
                    trap(hardware.cpu());
                }
            });
        }
    }

    /** Reads the kernel for direct boot now, so that a bad file stops the machine before it runs. */
    private static LinuxLoader linuxLoader(PcHardware hardware) {
        if (hardware.kernelBoot() == null) {
            return null;
        }
        try {
            return LinuxLoader.open(hardware.kernelBoot(), hardware.memorySize());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Service calls made since power-on (BIOS stubs and IRQ handlers entering Java). */
    @Override
    public long serviceCalls() {
        return calls;
    }

    /** The most recent service calls, oldest first, as "INT 13h AX=0201h ..." lines (for hung-boot reports). */
    @Override
    public java.util.List<String> recentCalls() {
        return log.lines();
    }

    /** The POST banner line, e.g. "Strata BIOS 0.1 - 639 KiB conventional, 15360 KiB extended". */
    public String banner() {
        return post == null ? NAME : post.banner();
    }

    /** An OUT to the service port: only the ROM's own trap sites count; a guest poking the port is ignored. */
    private void trap(Cpu cpu) {
        if (cpu.seg[Cpu.CS].base != BiosRom.BASE) {
            return;
        }
        int site = cpu.curEip & 0xFFFF;
        calls++;
        call.cpu = cpu;
        if (site == BiosRom.TIMER_SITE) {
            time.tick();
            return;
        }
        if (site == BiosRom.KEYBOARD_SITE) {
            boolean controlBreak = keyboard.scanCode(cpu.r[Cpu.EAX] & 0xFF);
            call.setAh(controlBreak ? 1 : 0);
            return;
        }
        if (site == BiosRom.MOUSE_SITE) {
            mouse.irqByte(call);
            return;
        }
        if (site == BiosRom.POST_SITE) {
            log.record(-1, cpu);
            post.run(cpu);
            return;
        }
        if (site < BiosRom.STUBS || site >= BiosRom.STUBS + 256 * BiosRom.STUB_SIZE) {
            return;
        }
        int offset = site - BiosRom.STUBS;
        int vector = offset / BiosRom.STUB_SIZE;
        call.stub = BiosRom.stub(vector);
        call.retry = offset % BiosRom.STUB_SIZE == BiosRom.STUB_RETRY;
        if (!call.retry) {
            log.record(vector, cpu);
        }
        dispatch(vector);
    }

    private void dispatch(int vector) {
        BiosCall c = call;
        if (vector != 0x16 && vector != 0x2F && !(vector == 0x1A && (c.ah() == 0x00 || c.ah() == 0x02))) {
            // output, disk or other work between two keyboard polls (DOS checks for Ctrl-C on every character it
            // prints): the guest is busy, not idle; reading the clock is what idle loops do, so it does not count
            keyboard.otherService();
        }
        switch (vector) {
            case 0x10 -> video.call(c);
            case 0x11 -> system.equipment(c);
            case 0x12 -> system.memorySize(c);
            case 0x13 -> disks.call(c);
            case 0x14 -> serial.call(c);
            case 0x15 -> {
                if (c.ah() == 0x53) {
                    power.apm(c);
                } else if (c.ah() == 0xC2) {
                    mouse.call(c);
                } else {
                    system.call(c);
                }
            }
            case 0x16 -> keyboard.call(c);
            case 0x17 -> system.printer(c);
            case 0x18 -> boot.noBootableDevice(c);
            case 0x19 -> boot.boot(c);
            case 0x1A -> time.call(c);
            case 0x2F -> power.multiplex(c);
            default -> { }
        }
    }

    /** Saves the services' Java-side state (waits in progress, call counters); the ROM is rebuilt, not saved. */
    @Override
    public void saveState(StateWriter w) {
        FieldCodec.save(this, w);
        disks.saveState(w);
    }

    @Override
    public void loadState(StateReader r) throws StateFileException {
        FieldCodec.load(this, r);
        disks.loadState(r);
    }
}
