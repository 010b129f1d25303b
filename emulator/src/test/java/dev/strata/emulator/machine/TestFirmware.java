package dev.strata.emulator.machine;

import dev.strata.emulator.io.IoPortHandler;
import java.util.HexFormat;

/**
 * A 64 KiB firmware for machine tests: the program of {@code test-rom.asm} (beside this test's resources, assembled
 * with nasm) greets on COM1 and E9h with the boot count kept at 0:0500h, writes "SCREEN TEXT OK" to the text
 * screen, then does what its mode says. Port F4h powers the machine off, as QEMU's isa-debug-exit does.
 */
final class TestFirmware implements Firmware {

    /** Halt with interrupts off: the machine can never wake. */
    static final int HALT = 0;
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

    private final byte[] rom = new byte[64 * 1024];
    int powerOns;

    TestFirmware(int mode) {
        java.util.Arrays.fill(rom, (byte) 0xFF);
        byte[] code = HexFormat.of().parseHex(CODE);
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
        hardware.io().register(POWER_OFF_PORT, 1, new IoPortHandler() {
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
