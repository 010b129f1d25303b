package dev.strata.guests.vga;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.machine.MachineSettings;
import dev.strata.emulator.machine.PcMachine;
import dev.strata.guests.BootSectorFloppy;
import dev.strata.guests.GuestBoot;
import dev.strata.guests.HostTools;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots guests/vga/vbepm.asm from a floppy on Strata's BIOS: it gets the VBE 2.0 protected-mode interface from INT
 * 10h AX=4F0Ah and calls its set window, set display start and set palette routines from 32-bit protected mode, as
 * Linux's vesafb does. The routines must answer as a VBE BIOS does and program the DISPI registers and the DAC;
 * the ROM's bytes must be what bios/src/main/asm/vbepm.asm assembles to.
 */
class VbeProtectedModeGuestTest {

    @TempDir
    Path dir;

    @Test
    void protectedModeCodeSetsTheWindowTheDisplayStartAndThePalette() throws Exception {
        Path floppy = HostTools.floppy("guests/vga/vbepm.asm", dir);
        AtomicReference<PcMachine> machine = new AtomicReference<>();
        ByteArrayOutputStream e9 = new ByteArrayOutputStream();
        MachineSettings settings = new MachineSettings().floppy(0, floppy).bootOrder("a").debugConsole(e9::write);
        GuestBoot.Result boot = GuestBoot.run(settings, List.of("done"), null, null, 120, machine::set);
        String output = e9.toString(StandardCharsets.ISO_8859_1);
        assertTrue(boot.allMet(), boot.describe() + "\nE9h: " + output);
        // the table's address, then: bank 3, bank 999 refused, display start, two palette entries, 255-256 refused
        assertEquals("000F 4900 004F 014F 004F 004F 014F done", output);
        var vga = machine.get().vga();
        assertEquals(3, vga.dispiRegister(5), "the bank: 3, kept when 999 was refused");
        assertEquals(0, vga.dispiRegister(8), "x offset");
        assertEquals(10, vga.dispiRegister(9), "y offset: line 10");
        assertEquals(0x07 << 12 | 0x06 << 6 | 0x05, vga.dacEntry(1), "entry 1: red 07h, green 06h, blue 05h");
        assertEquals(0x10 << 12 | 0x20 << 6 | 0x3F, vga.dacEntry(2));

        byte[] assembled = Files.readAllBytes(BootSectorFloppy.assemble("bios/src/main/asm/vbepm.asm", dir));
        byte[] rom = new byte[assembled.length];
        machine.get().memory().readBlock(0xF4900, rom, 0, rom.length);
        assertArrayEquals(assembled, rom, "the ROM holds vbepm.asm as nasm assembles it");
    }
}
