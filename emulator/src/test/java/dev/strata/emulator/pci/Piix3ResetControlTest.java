package dev.strata.emulator.pci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The reset control byte at CF9h, sharing the configuration port range. */
class Piix3ResetControlTest {

    private int resets;
    private final I440fxPciSystem pci = new I440fxPciSystem();
    private final PciConfigPorts ports = pci.configPorts();

    @Test
    void unconnectedCf9IsJustAnEmptyPort() {
        ports.out(0xCF9, 1, 0x06);
        assertEquals(0xFF, ports.in(0xCF9, 1));
    }

    @Test
    void linuxRebootSequenceResetsOnceAndSelectsHardReset() {
        Piix3ResetControl control = pci.connectReset(() -> resets++);
        ports.out(0xCF9, 1, 0x02);
        assertEquals(0, resets);
        assertEquals(0x02, ports.in(0xCF9, 1));
        ports.out(0xCF9, 1, 0x06);
        assertEquals(1, resets);
        assertTrue(control.hardResetSelected());
        pci.reset();
        assertEquals(0x00, ports.in(0xCF9, 1));
        assertFalse(control.hardResetSelected());
    }

    @Test
    void configurationAddressWritesDoNotTouchTheResetRegister() {
        pci.connectReset(() -> resets++);
        ports.out(0xCF8, 4, 0x8000_0400); // byte 1 of this dword is 04h: it must not reach CF9h
        assertEquals(0, resets);
        assertEquals(0x8000_0400, ports.in(0xCF8, 4));
        ports.out(0xCF8, 2, 0x0404); // a word at CF8h is not a byte at CF9h either
        assertEquals(0, resets);
    }
}
