package dev.strata.emulator.machine;

import dev.strata.emulator.io.IoPortHandler;
import java.util.HexFormat;

/**
 * A 64 KiB firmware for machine tests: the program of {@code test-rom.asm} (beside this test's resources, assembled
 * with nasm) greets on COM1 and E9h with the boot count kept at 0:0500h, writes "SCREEN TEXT OK" to the text
 * screen, then does what its mode says; or the program of {@code input-output-rom.asm} ({@link #inputOutput}),
 * which reads the keyboard or writes the screen after sleeping a while. Port F4h powers the machine off, as QEMU's
 * isa-debug-exit does.
 */
public final class TestFirmware implements Firmware {

    /** Halt with interrupts off: the machine can never wake. */
    public static final int HALT = 0;
    /** Print "POWER OFF" and write port F4h. */
    static final int POWER_OFF = 1;
    /** Triple fault (IDT limit 0, INT 3) on the first boot; power off on the second. */
    static final int TRIPLE_FAULT = 2;
    /** Spin in a loop forever. */
    static final int SPIN = 3;
    /** Reset through the keyboard controller (FEh) on the first boot; power off on the second. */
    static final int KBC_RESET = 4;

    static final String CODE = "fa8cc88ed831c08ed0bc0070bafb03b080eebaf803b001ee4230c0eebafb03b003ee31c08ec026fe060005bed1e0e8700026a000050430e87200bef3e0e86100b800b88ec031ffbe02e1b407ac08c07403abebf8a0ffdf3c0174103c02741a3c0374143c047428faf4ebfcbef6e0e83000b000e6f4ebf0ebfe31c08ec026803e00050273e62e0f011ecbe0cd03ebd831c08ec026803e00050273d0b0fee664ebc6ac08c07405e80300ebf6c3505288c4e6e9bafd03eca82074fbbaf80388e0eebafd03eca84074fb5a58c300000000000048454c4c4f2046524f4d20535452415441205445535420524f4d2c20424f4f5420000d0a00504f574552204f46460d0a0053435245454e2054455854204f4b00";
    static final int POWER_OFF_PORT = 0xF4;

    /** input-output-rom.asm: after 1.5 s in HLT, reports W (no key waiting) or E on E9h, reads 60h, awaits a key. */
    static final int READ_LATE = 0;
    /** As {@link #READ_LATE}, but it polls the status port 64h for the key without reading 60h first. */
    static final int POLL_LATE = 1;
    /** After 1.5 s, reports W or E on E9h without reading the keyboard, and powers off. */
    static final int NEVER_READS = 2;
    /** input-output-rom.asm: after 150 ms, writes "READY" at the top of the screen, then "!" to E9h, then spins. */
    static final int SCREEN_WRITE = 3;
    /** After 150 ms, moves the CRTC start address so that row 30's "SCROLLED IN" shows, then "!" to E9h, spins. */
    static final int SCREEN_SCROLL = 4;

    static final String INPUT_OUTPUT_CODE = "fa31c08ed88ec08ed0bc0070c7062000cde0c706220000f0c70600050000b011e620b008e621b004e621b001e621b0fee621b034e643b09ce640b02ee640b800b88ec0bfc012bedee0e87500bb96002e803effdf037203bb0f00fbf4391e000572f9fa2ea0ffdf3c0074113c0174143c0374223c04742ce83a00eb14e83500e460eb03e82e00e464a80174fae460e6e9e6f4f4ebfb31ffbed8e0e82400b021e6e9ebfebad403b80c03efb80d20efb021e6e9ebfee464a801b0577402b045e6e9c3b4072eac08c07403abebf7c3ff06000550b020e62058cf5245414459005343524f4c4c454420494e00";

    private final byte[] rom = new byte[64 * 1024];
    int powerOns;

    public TestFirmware(int mode) {
        this(CODE, mode);
    }

    /** The input-output ROM doing {@code mode} ({@link #READ_LATE} ... {@link #SCREEN_SCROLL}). */
    static TestFirmware inputOutput(int mode) {
        return new TestFirmware(INPUT_OUTPUT_CODE, mode);
    }

    private TestFirmware(String program, int mode) {
        java.util.Arrays.fill(rom, (byte) 0xFF);
        byte[] code = HexFormat.of().parseHex(program);
        System.arraycopy(code, 0, rom, 0xE000, code.length);
        rom[0xDFFF] = (byte) mode;
        // F000:FFF0: JMP F000:E000
        byte[] reset = {(byte) 0xEA, 0x00, (byte) 0xE0, 0x00, (byte) 0xF0};
        System.arraycopy(reset, 0, rom, 0xFFF0, reset.length);
    }

    @Override
    public byte[] romImage() {
        return rom.clone();
    }

    @Override
    public void powerOn(PcHardware hardware) {
        powerOns++;
        if (hardware.io().owner(POWER_OFF_PORT) != null) {
            return; // a reset powers on again: the port is ours already
        }
        hardware.io().register("test.poweroff", POWER_OFF_PORT, 1, new IoPortHandler() {
            @Override
            public int in(int port, int size) {
                return 0xFF;
            }

            @Override
            public void out(int port, int size, int value) {
                hardware.requestPowerOff();
            }
        });
    }

    @Override
    public String description() {
        return "Strata machine test ROM";
    }
}
