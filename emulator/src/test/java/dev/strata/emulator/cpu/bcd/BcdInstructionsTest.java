package dev.strata.emulator.cpu.bcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.TestMachine;
import org.junit.jupiter.api.Test;

class BcdInstructionsTest {

    @Test
    void daaAdjustsPackedDecimalAddition() {
        TestMachine m = new TestMachine().code(0xB0, 0x19, 0x04, 0x28, 0x27, 0xF4).run(); // 19 + 28; daa -> 47
        assertEquals(0x47, m.reg(Cpu.EAX) & 0xFF);
    }

    @Test
    void daaCarriesOutOfTheHundreds() {
        TestMachine m = new TestMachine().code(0xB0, 0x99, 0x04, 0x01, 0x27, 0xF4).run(); // 99 + 1; daa -> 00, CF
        assertEquals(0x00, m.reg(Cpu.EAX) & 0xFF);
        assertTrue(m.flag(Flags.CF));
    }

    @Test
    void dasAdjustsPackedDecimalSubtraction() {
        TestMachine m = new TestMachine().code(0xB0, 0x47, 0x2C, 0x28, 0x2F, 0xF4).run(); // 47 - 28; das -> 19
        assertEquals(0x19, m.reg(Cpu.EAX) & 0xFF);
    }

    @Test
    void aaaCarriesIntoAh() {
        TestMachine m = new TestMachine().code(0xB8, 0x09, 0x00, 0x04, 0x05, 0x37, 0xF4).run(); // ax=0009; add al,5; aaa
        assertEquals(0x0104, m.reg(Cpu.EAX) & 0xFFFF);
        assertTrue(m.flag(Flags.CF));
    }

    @Test
    void aamAndAadSplitAndJoinDigits() {
        TestMachine m = new TestMachine().code(0xB0, 47, 0xD4, 0x0A, 0xF4).run(); // mov al,47; aam
        assertEquals(0x0407, m.reg(Cpu.EAX) & 0xFFFF);
        TestMachine n = new TestMachine().code(0xB8, 0x07, 0x04, 0xD5, 0x0A, 0xF4).run(); // ax=0407h; aad
        assertEquals(47, n.reg(Cpu.EAX) & 0xFFFF);
    }
}
