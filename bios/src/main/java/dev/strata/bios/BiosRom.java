package dev.strata.bios;

/**
 * The layout of Strata's 64 KiB ROM at F0000h-FFFFFh and the code in it. Almost everything the BIOS does happens in
 * Java; the ROM holds only what must be x86 code: the reset vector, one trap stub per BIOS service vector, the
 * hardware interrupt handlers that chain to guest hooks (INT 1Ch, INT 15h AH=4Fh) and send the EOI, and the tables
 * guests read by pointer (diskette parameters, the configuration table).
 *
 * <p>A trap is {@code OUT SERVICE_PORT,AL}: the {@link ServicePort} sees which ROM offset executed it and runs the
 * matching Java code. A service stub is 8 bytes:
 *
 * <pre>
 * +0  OUT E5h,AL     first call: Java runs the service
 * +2  IRET           back to the caller (Java has set the returned registers and the FLAGS image on the stack)
 * +3  STI            a service that must wait (INT 16h AH=00h on an empty buffer, INT 15h AH=86h) resumes here:
 * +4  HLT            interrupts (the keyboard, the timer) are taken while halted ...
 * +5  OUT E5h,AL     ... and Java is asked again ("retry" site)
 * +7  IRET
 * </pre>
 */
final class BiosRom {

    static final int SEGMENT = 0xF000;
    static final int BASE = 0xF0000;
    static final int SIZE = 0x10000;

    static final int ID_STRING = 0x0000;
    static final int CONFIG_TABLE = 0x0040;
    static final int DISKETTE_TABLE = 0x0060;
    static final int DUMMY_IRET = 0x0080;
    static final int MASTER_EOI = 0x0088;
    static final int SLAVE_EOI = 0x0090;
    static final int RTC_IRQ = 0x00A0;
    static final int TIMER_IRQ = 0x00C0;
    static final int KEYBOARD_IRQ = 0x00E0;
    static final int HALT_LOOP = 0x0100;
    static final int MOUSE_IRQ = 0x0110;
    /** Where the mouse handler enters Java with the byte from port 60h in AL ({@link MouseServices#irqByte}). */
    static final int MOUSE_SITE = MOUSE_IRQ + 5;
    /** Where the timer handler enters Java (tick count). */
    static final int TIMER_SITE = TIMER_IRQ;
    /** Where the keyboard handler enters Java with the scan code in AL (after the INT 15h AH=4Fh hook). */
    static final int KEYBOARD_SITE = KEYBOARD_IRQ + 10;

    static final int STUBS = 0x1000;
    static final int STUB_SIZE = 8;
    static final int STUB_RETRY = 5;
    static final int STUB_WAIT = 3;

    /** Strata's ROM fonts ({@link RomFonts}), which INT 10h AX=1130h, INT 1Fh and INT 43h point to. */
    static final int FONT_8X8 = 0x2000;
    static final int FONT_8X14 = FONT_8X8 + 256 * 8;
    static final int FONT_8X16 = FONT_8X14 + 256 * 14;
    /** An empty table of 9-dot replacement glyphs (AX=1130h BH=5 and 7): Strata's fonts need none. */
    static final int NINE_DOT_FIXUPS = FONT_8X16 + 256 * 16;

    /** VBE's strings, mode list (words, FFFFh last) and window function, which INT 10h AX=4F00h/4F01h point to. */
    static final int VBE_OEM_STRING = 0x4800;
    static final int VBE_VENDOR = 0x4820;
    static final int VBE_PRODUCT = 0x4830;
    static final int VBE_REVISION = 0x4850;
    static final int VBE_WINDOW_FUNCTION = 0x4858;
    static final int VBE_MODE_LIST = 0x4860;
    /** The VBE 2.0 protected-mode interface (INT 10h AX=4F0Ah), past the mode list. */
    static final int VBE_PM_INTERFACE = 0x4900;

    static final int POST_ENTRY = 0xE05B;
    static final int POST_SITE = POST_ENTRY + 1;
    static final int RESET_VECTOR = 0xFFF0;
    static final int DATE = 0xFFF5;
    static final int MODEL = 0xFFFE;

    /** The vectors whose stubs trap into Java services. */
    static final int[] SERVICE_VECTORS = {0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x2F};

    private BiosRom() {
    }

    static int stub(int vector) {
        return STUBS + vector * STUB_SIZE;
    }

    /** Builds the image; the last byte makes the whole ROM sum to zero. */
    static byte[] build(String idString, String date) {
        byte[] rom = new byte[SIZE];
        RomWriter w = new RomWriter(rom);
        w.org(ID_STRING).ascii(idString).bytes(0);

        // INT 15h AH=C0h: length, model FCh (AT), submodel 01h, revision 0; feature byte 1: second PIC (bit 6),
        // RTC (bit 5), INT 15h AH=4Fh called by INT 09h (bit 4); feature byte 2: INT 16h AH=09h (bit 6).
        w.org(CONFIG_TABLE).word(8).bytes(0xFC, 0x01, 0x00, 0x70, 0x40, 0x00, 0x00, 0x00);

        // Diskette parameter table (INT 1Eh): step rate/head unload, head load/DMA, motor off delay, 512-byte
        // sectors, 18 sectors per track, gap length, data length, format gap, fill byte, head settle, motor start.
        w.org(DISKETTE_TABLE).bytes(0xAF, 0x02, 0x25, 0x02, 0x12, 0x1B, 0xFF, 0x6C, 0xF6, 0x0F, 0x08);

        w.org(DUMMY_IRET).iret();
        w.org(MASTER_EOI).pushAx().movAl(0x20).outAl(0x20).popAx().iret();
        w.org(SLAVE_EOI).pushAx().movAl(0x20).outAl(0xA0).outAl(0x20).popAx().iret();
        // IRQ 8: read register C so the RTC lowers its request, then EOI both controllers.
        w.org(RTC_IRQ).pushAx().movAl(0x0C).outAl(0x70).inAl(0x71).movAl(0x20).outAl(0xA0).outAl(0x20).popAx().iret();

        // IRQ 0: Java counts the tick, then the user hook INT 1Ch, then EOI.
        w.org(TIMER_IRQ).outAl(StrataBios.SERVICE_PORT).intN(0x1C).pushAx().movAl(0x20).outAl(0x20).popAx().iret();

        // IRQ 1: read the scan code, offer it to INT 15h AH=4Fh (CF clear there means "swallowed"), let Java
        // translate it into the BIOS keyboard buffer (AH = 1 back from Java: Ctrl-Break, so INT 1Bh), then EOI.
        w.org(KEYBOARD_IRQ).pushAx().inAl(0x60).movAh(0x4F).stc().intN(0x15);
        int jnc = w.here();
        w.bytes(0x73, 0x00); // JNC done, patched below
        if (w.here() != KEYBOARD_SITE) {
            throw new IllegalStateException("keyboard handler layout changed: trap at " + w.here());
        }
        w.outAl(StrataBios.SERVICE_PORT);
        w.bytes(0x08, 0xE4, 0x74, 0x02); // OR AH,AH ; JZ done
        w.intN(0x1B);
        int done = w.here();
        rom[jnc + 1] = (byte) (done - (jnc + 2));
        w.cli().movAl(0x20).outAl(0x20).popAx().iret();

        w.org(HALT_LOOP).sti().hlt().jmpShort(HALT_LOOP);

        // IRQ 12: Java collects the byte into the EBDA's packet; with a whole packet (DX = 1) it returns the status,
        // X and Y words in AX, BX, CX and the driver's handler in DI:SI, which is called with interrupts on and
        // status, X, Y and 0 on the stack (PUSH CS and PUSH imm16 make the return address, RETF jumps there).
        w.org(MOUSE_IRQ).pusha().pushDs().pushEs().inAl(0x60);
        if (w.here() != MOUSE_SITE) {
            throw new IllegalStateException("mouse handler layout changed: trap at " + w.here());
        }
        w.outAl(StrataBios.SERVICE_PORT);
        w.bytes(0x09, 0xD2); // OR DX,DX
        int jz = w.here();
        w.bytes(0x74, 0x00); // JZ eoi, patched below
        w.sti().bytes(0x50, 0x53, 0x51, 0x6A, 0x00, 0x0E); // PUSH AX, BX, CX, 0, CS
        int pushReturn = w.here();
        w.bytes(0x68, 0x00, 0x00); // PUSH imm16: the return offset, patched below
        w.bytes(0x57, 0x56, 0xCB); // PUSH DI, SI; RETF into the handler
        int back = w.here();
        rom[pushReturn + 1] = (byte) back;
        rom[pushReturn + 2] = (byte) (back >> 8);
        w.bytes(0x83, 0xC4, 0x08).cli(); // ADD SP,8
        int eoi = w.here();
        rom[jz + 1] = (byte) (eoi - (jz + 2));
        w.movAl(0x20).outAl(0xA0).outAl(0x20).popEs().popDs().popa().iret();

        System.arraycopy(RomFonts.font(8), 0, rom, FONT_8X8, 256 * 8);
        System.arraycopy(RomFonts.font(14), 0, rom, FONT_8X14, 256 * 14);
        System.arraycopy(RomFonts.font(16), 0, rom, FONT_8X16, 256 * 16);
        w.org(NINE_DOT_FIXUPS).word(0);

        w.org(VBE_OEM_STRING).ascii("Strata VBE").bytes(0);
        w.org(VBE_VENDOR).ascii("Strata").bytes(0);
        w.org(VBE_PRODUCT).ascii("Strata DISPI VGA").bytes(0);
        w.org(VBE_REVISION).ascii("1.0").bytes(0);
        // the far window function does what AX=4F05h does: PUSH AX, MOV AX,4F05h, INT 10h, POP AX, RETF
        w.org(VBE_WINDOW_FUNCTION).bytes(0x50, 0xB8, 0x05, 0x4F, 0xCD, 0x10, 0x58, 0xCB);
        w.org(VBE_MODE_LIST);
        for (VbeMode m : VbeMode.ALL) {
            w.word(m.number());
        }
        w.word(0xFFFF);
        if (w.here() > VBE_PM_INTERFACE) {
            throw new IllegalStateException("the VBE mode list runs into the protected-mode interface");
        }
        w.org(VBE_PM_INTERFACE).bytes(VbeProtectedModeInterface.code());

        for (int v : SERVICE_VECTORS) {
            int s = stub(v);
            w.org(s).outAl(StrataBios.SERVICE_PORT).iret().sti().hlt().outAl(StrataBios.SERVICE_PORT).iret();
        }

        // Power-on: Java runs POST at the trap, then the boot loader; INT 18h if nothing booted.
        w.org(POST_ENTRY).cli().outAl(StrataBios.SERVICE_PORT).sti().intN(0x19).intN(0x18).jmpNear(HALT_LOOP);

        w.org(RESET_VECTOR).jmpFar(SEGMENT, POST_ENTRY);
        w.org(DATE).ascii(date);
        w.org(MODEL).bytes(0xFC);
        RomChecksum.seal(rom, 0, SIZE, SIZE - 1);
        return rom;
    }
}
