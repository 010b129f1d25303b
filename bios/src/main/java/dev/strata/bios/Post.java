package dev.strata.bios;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.device.rtc.CmosSetup;
import dev.strata.emulator.device.rtc.FloppyDriveType;
import dev.strata.emulator.device.rtc.PrimaryDisplay;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.machine.PcHardware;
import dev.strata.emulator.memory.PhysicalMemory;

/**
 * Power-on self test, run in Java when the ROM's reset code traps: programs the interrupt controllers, the timer,
 * the keyboard controller and the PCI IDE function through their ports, fills the interrupt vector table, the BIOS
 * data area and the EBDA, records the configuration in CMOS, sets video mode 3 and prints the banner. Each step first writes its
 * POST code to port 80h, so a hang shows where it stopped.
 */
final class Post {

    static final int CODE_START = 0x01, CODE_PIC = 0x02, CODE_PIT = 0x03, CODE_KEYBOARD = 0x04, CODE_IVT = 0x05,
            CODE_BDA = 0x06, CODE_CMOS = 0x07, CODE_VIDEO = 0x08, CODE_BOOT = 0x09, CODE_PCI = 0x0A;

    /** The EBDA's size: 1 KiB just below 640 KiB. */
    static final int EBDA_KIB = 1;
    static final int EBDA_SEGMENT = (640 - EBDA_KIB) * 64;
    /** The stack the boot sector starts with. */
    static final int STACK_SEGMENT = 0x0000, STACK_POINTER = 0x7C00;

    private final PcHardware hw;
    private final IoBus io;
    private final PhysicalMemory mem;
    private final BiosDataArea bda;
    private final VideoServices video;
    private final TimeServices time;
    private final DiskServices disks;
    private final String description;

    Post(PcHardware hw, VideoServices video, TimeServices time, DiskServices disks, String description) {
        this.hw = hw;
        this.io = hw.io();
        this.mem = hw.memory();
        this.bda = new BiosDataArea(mem);
        this.video = video;
        this.time = time;
        this.disks = disks;
        this.description = description;
    }

    void run(Cpu cpu) {
        code(CODE_START);
        int warmBootFlag = bda.read16(BiosDataArea.WARM_BOOT_FLAG);
        cpu.fpu.init(); // the coprocessor check of a PC BIOS leaves the x87 as FNINIT does
        code(CODE_PIC);
        initPics();
        code(CODE_PIT);
        io.out(0x43, 1, 0x34); // counter 0, low then high byte, mode 2 (rate generator)
        io.out(0x40, 1, 0x00);
        io.out(0x40, 1, 0x00); // 65536: 18.2 Hz
        code(CODE_KEYBOARD);
        initKeyboard();
        code(CODE_PCI);
        new PciSetup(io).run();
        code(CODE_IVT);
        initVectors();
        code(CODE_CMOS);
        int floppyDrives = initCmos();
        code(CODE_BDA);
        initBiosData(warmBootFlag, floppyDrives);
        disks.mediaSeen();
        code(CODE_VIDEO);
        video.setMode(0x03);
        video.print(banner() + "\n");
        code(CODE_BOOT);
        cpu.loadSegment(Cpu.SS, STACK_SEGMENT);
        cpu.r[Cpu.ESP] = STACK_POINTER;
        cpu.loadSegment(Cpu.DS, 0x0040);
        cpu.loadSegment(Cpu.ES, 0x0000);
    }

    /** "Strata BIOS <version> - <N> KiB conventional, <M> KiB extended". */
    String banner() {
        return description + " - " + (640 - EBDA_KIB) + " KiB conventional, " + extendedKib() + " KiB extended";
    }

    private long extendedKib() {
        return Math.max(0, hw.memorySize() - 0x100000) / 1024;
    }

    private void code(int value) {
        io.out(0x80, 1, value);
    }

    /**
     * ICW1-4 for both 8259As: master vectors 08h-0Fh, slave 70h-77h, cascade on IR2; timer, keyboard, cascade and
     * mouse open.
     */
    private void initPics() {
        io.out(0x20, 1, 0x11);
        io.out(0x21, 1, 0x08);
        io.out(0x21, 1, 0x04);
        io.out(0x21, 1, 0x01);
        io.out(0xA0, 1, 0x11);
        io.out(0xA1, 1, 0x70);
        io.out(0xA1, 1, 0x02);
        io.out(0xA1, 1, 0x01);
        io.out(0x21, 1, 0xB8); // IRQ 0, 1, 2 and 6 unmasked
        io.out(0xA1, 1, 0xEF); // IRQ 12, the PS/2 mouse: it interrupts only once a driver enables it (INT 15h C2h)
    }

    /** Controller self test, command byte (translate to set 1, system flag, keyboard interrupt), enable the keyboard. */
    private void initKeyboard() {
        io.out(0x64, 1, 0xAA);
        drainKeyboard();
        io.out(0x64, 1, 0x60);
        io.out(0x60, 1, 0x45);
        io.out(0x64, 1, 0xAE);
        io.out(0x60, 1, 0xF4); // keyboard: enable scanning
        drainKeyboard();
    }

    private void drainKeyboard() {
        for (int i = 0; i < 16 && (io.in(0x64, 1) & 0x01) != 0; i++) {
            hw.keyboardController().readDataForFirmware(); // the POST's own replies: no one waits for keys yet
        }
    }

    private void initVectors() {
        for (int v = 0; v < 256; v++) {
            vector(v, BiosRom.SEGMENT, BiosRom.DUMMY_IRET);
        }
        vector(0x08, BiosRom.SEGMENT, BiosRom.TIMER_IRQ);
        vector(0x09, BiosRom.SEGMENT, BiosRom.KEYBOARD_IRQ);
        for (int v = 0x0A; v <= 0x0E; v++) {
            vector(v, BiosRom.SEGMENT, BiosRom.MASTER_EOI);
        }
        vector(0x70, BiosRom.SEGMENT, BiosRom.RTC_IRQ);
        for (int v = 0x71; v <= 0x77; v++) {
            vector(v, BiosRom.SEGMENT, BiosRom.SLAVE_EOI);
        }
        vector(0x74, BiosRom.SEGMENT, BiosRom.MOUSE_IRQ);
        for (int v : BiosRom.SERVICE_VECTORS) {
            vector(v, BiosRom.SEGMENT, BiosRom.stub(v));
        }
        vector(0x1D, 0, 0); // no video parameter table
        vector(0x1E, BiosRom.SEGMENT, BiosRom.DISKETTE_TABLE);
        vector(0x1F, BiosRom.SEGMENT, BiosRom.FONT_8X8 + 128 * 8); // the 8x8 font's upper half, for CGA modes
        vector(0x41, 0, 0); // no hard disk parameter tables
        vector(0x46, 0, 0);
        vector(0x43, BiosRom.SEGMENT, BiosRom.FONT_8X16);
        for (int v = 0x60; v <= 0x67; v++) {
            vector(v, 0, 0); // free for user programs
        }
    }

    private void vector(int v, int segment, int offset) {
        mem.write16(v * 4, offset);
        mem.write16(v * 4 + 2, segment);
    }

    private void initBiosData(int warmBootFlag, int floppies) {
        for (int i = 0; i < 0x100; i++) {
            bda.write8(i, 0);
        }
        int serialPorts = 0;
        for (int i = 0; i < 4; i++) {
            if (hw.serial(i) != null) {
                bda.write16(BiosDataArea.COM_PORTS + serialPorts * 2, hw.serial(i).base());
                bda.write8(BiosDataArea.COM_TIMEOUTS + serialPorts, 1);
                serialPorts++;
            }
        }
        // 2: x87 fitted; 4: pointing device (the PS/2 mouse)
        int equipment = 0x0001 | 0x0002 | 0x0004 | (floppies - 1) << 6 | 0x0020 | serialPorts << 9;
        bda.write16(BiosDataArea.EQUIPMENT, equipment);
        bda.write16(BiosDataArea.MEMORY_KIB, 640 - EBDA_KIB);
        bda.write16(BiosDataArea.EBDA_SEGMENT, EBDA_SEGMENT);
        for (int i = 0; i < EBDA_KIB * 1024; i++) {
            mem.write8(EBDA_SEGMENT * 16 + i, 0);
        }
        mem.write8(EBDA_SEGMENT * 16, EBDA_KIB);
        bda.write16(BiosDataArea.KB_HEAD, BiosDataArea.KB_BUFFER_FIRST);
        bda.write16(BiosDataArea.KB_TAIL, BiosDataArea.KB_BUFFER_FIRST);
        bda.write16(BiosDataArea.KB_BUFFER_START, BiosDataArea.KB_BUFFER_FIRST);
        bda.write16(BiosDataArea.KB_BUFFER_END, BiosDataArea.KB_BUFFER_LIMIT);
        bda.write8(BiosDataArea.KB_FLAGS_3, 0x10); // an enhanced (101/102-key) keyboard
        bda.write8(BiosDataArea.FLOPPY_MEDIA_STATE, 0x17); // 1.44M-class media established, like drive A:
        bda.write16(BiosDataArea.WARM_BOOT_FLAG, warmBootFlag == 0x1234 ? 0x1234 : 0);
        bda.write8(BiosDataArea.HARD_DISK_COUNT, disks.hardDisks().count());
        long ticks = (long) time.secondsSinceMidnight() * 1_193_182L / 65536;
        bda.write32(BiosDataArea.TIMER_TICKS, (int) Math.min(ticks, BiosDataArea.TICKS_PER_DAY - 1));
    }

    /**
     * Records the memory size in CMOS, and the drives and display too when CMOS holds no set-up yet (base memory
     * zero): a machine that wrote its own drive types keeps them, as set-up values survive on a real PC.
     *
     * @return the number of diskette drives (1 or 2): B: exists when CMOS names a type for it or it holds a diskette
     */
    private int initCmos() {
        CmosSetup cmos = new CmosSetup(hw.rtc());
        boolean fresh = time.cmos(CmosSetup.BASE_MEMORY_LOW) == 0 && time.cmos(CmosSetup.BASE_MEMORY_LOW + 1) == 0;
        cmos.memory(hw.memorySize());
        if (fresh) {
            int drives = hw.floppy(1) != null ? 2 : 1;
            cmos.floppyDrives(driveType(0), drives > 1 ? driveType(1) : FloppyDriveType.NONE)
                    .equipment(drives, true, PrimaryDisplay.EGA_VGA);
        }
        cmos.updateChecksum();
        boolean driveB = (time.cmos(CmosSetup.FLOPPY_TYPES) & 0x0F) != 0 || hw.floppy(1) != null;
        return driveB ? 2 : 1;
    }

    private FloppyDriveType driveType(int drive) {
        FloppyGeometry g = disks.geometry(drive);
        if (g == null) {
            return FloppyDriveType.HD_1440K_35; // an empty drive is a 1.44M drive
        }
        for (FloppyDriveType t : FloppyDriveType.values()) {
            if (t.code() == g.driveType) {
                return t;
            }
        }
        return FloppyDriveType.NONE;
    }
}
