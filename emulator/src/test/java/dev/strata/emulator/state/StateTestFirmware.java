package dev.strata.emulator.state;

import dev.strata.emulator.machine.Firmware;
import dev.strata.emulator.machine.PcHardware;
import java.util.Arrays;

/**
 * A 64 KiB ROM for saved-state tests: programs PIT counter 0 for 1 kHz, unmasks IRQ 0 on a PIC initialised to
 * vector 08h, and counts timer ticks at 0:0500h while it writes a counter byte to COM1 in its main loop, so RAM,
 * the PIT, the PIC, the UART and the CPU all change as it runs.
 */
final class StateTestFirmware implements Firmware {

    private final byte[] rom = new byte[64 * 1024];
    /** Java-side state a firmware may keep: how often it was powered on. */
    int powerOns;

    StateTestFirmware() {
        Arrays.fill(rom, (byte) 0x90);
        byte[] code = {
            (byte) 0xFA,                                     // cli
            0x31, (byte) 0xC0,                               // xor ax,ax
            (byte) 0x8E, (byte) 0xD8,                        // mov ds,ax
            (byte) 0x8E, (byte) 0xD0,                        // mov ss,ax
            (byte) 0xBC, 0x00, 0x70,                         // mov sp,7000h
            (byte) 0xC7, 0x06, 0x20, 0x00, 0x00, (byte) 0xE1, // mov word [20h],E100h   (IRQ0 vector offset)
            (byte) 0xC7, 0x06, 0x22, 0x00, 0x00, (byte) 0xF0, // mov word [22h],F000h
            (byte) 0xB0, 0x11, (byte) 0xE6, 0x20,            // mov al,11h; out 20h,al (ICW1)
            (byte) 0xB0, 0x08, (byte) 0xE6, 0x21,            // ICW2 vector 08h
            (byte) 0xB0, 0x04, (byte) 0xE6, 0x21,            // ICW3
            (byte) 0xB0, 0x01, (byte) 0xE6, 0x21,            // ICW4
            (byte) 0xB0, (byte) 0xFE, (byte) 0xE6, 0x21,     // mask all but IRQ0
            (byte) 0xB0, 0x34, (byte) 0xE6, 0x43,            // PIT counter 0, mode 2, lo/hi
            (byte) 0xB0, (byte) 0xA9, (byte) 0xE6, 0x40,     // 1193 = 04A9h: about 1 kHz
            (byte) 0xB0, 0x04, (byte) 0xE6, 0x40,
            (byte) 0xFB,                                     // sti
            // loop: inc byte [0501h]; mov al,[0501h]; mov dx,3F8h; out dx,al; mov cx,2000; wait: loop wait; jmp loop
            (byte) 0xFE, 0x06, 0x01, 0x05,
            (byte) 0xA0, 0x01, 0x05,
            (byte) 0xBA, (byte) 0xF8, 0x03,
            (byte) 0xEE,
            (byte) 0xB9, (byte) 0xD0, 0x07,
            (byte) 0xE2, (byte) 0xFE,
            (byte) 0xEB, (byte) 0xEE,
        };
        System.arraycopy(code, 0, rom, 0xE000, code.length);
        // F000:E100: IRQ0 handler: inc word [0500h]; mov al,20h; out 20h,al; iret
        byte[] irq0 = {(byte) 0xFF, 0x06, 0x00, 0x05, 0x50, (byte) 0xB0, 0x20, (byte) 0xE6, 0x20, 0x58, (byte) 0xCF};
        System.arraycopy(irq0, 0, rom, 0xE100, irq0.length);
        byte[] reset = {(byte) 0xEA, 0x00, (byte) 0xE0, 0x00, (byte) 0xF0}; // jmp F000:E000
        System.arraycopy(reset, 0, rom, 0xFFF0, reset.length);
    }

    @Override
    public byte[] romImage() {
        return rom.clone();
    }

    @Override
    public void powerOn(PcHardware hardware) {
        powerOns++;
    }

    @Override
    public String description() {
        return "saved-state test ROM";
    }

    @Override
    public void saveState(StateWriter w) {
        w.writeInt(powerOns);
    }

    @Override
    public void loadState(StateReader r) throws StateFileException {
        powerOns = r.readInt();
    }
}
