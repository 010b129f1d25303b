package dev.strata.emulator.cpu.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.TestMachine;
import org.junit.jupiter.api.Test;

/** 0x66 and 0x67 prefixes in 16-bit code: 32-bit operands and 32-bit addressing with SIB. */
class Operand32Test {

    @Test
    void movImmediateAndBswap() {
        TestMachine m = new TestMachine().code(0x66, 0xB8, 0x78, 0x56, 0x34, 0x12, 0x66, 0x0F, 0xC8, 0xF4).run();
        assertEquals(0x78563412, m.reg(Cpu.EAX));
    }

    @Test
    void sibAddressingWithScaledIndex() {
        TestMachine m = new TestMachine().data(0x1018, 0xEF, 0xBE);
        // mov eax,1000h; mov ebx,2; mov ax,[eax+ebx*4+10h]
        m.code(0x66, 0xB8, 0x00, 0x10, 0, 0, 0x66, 0xBB, 2, 0, 0, 0, 0x67, 0x8B, 0x44, 0x98, 0x10, 0xF4).run();
        assertEquals(0xBEEF, m.reg(Cpu.EAX) & 0xFFFF);
        assertEquals(0, m.reg(Cpu.EAX) >>> 16 & 0xFFFF ^ 0, "upper half of EAX keeps its value (0)");
    }

    @Test
    void movsxAndMovzx() {
        // mov bl,80h; movsx eax,bl; movzx cx,bl
        TestMachine m = new TestMachine().code(0xB3, 0x80, 0x66, 0x0F, 0xBE, 0xC3, 0x0F, 0xB6, 0xCB, 0xF4).run();
        assertEquals(0xFFFFFF80, m.reg(Cpu.EAX));
        assertEquals(0x0080, m.reg(Cpu.ECX));
    }

    @Test
    void shldShiftsInFromTheSource() {
        TestMachine m = new TestMachine();
        m.cpu.r[Cpu.EAX] = 0x12345678;
        m.cpu.r[Cpu.EDX] = 0x9ABCDEF0;
        m.code(0x66, 0x0F, 0xA4, 0xD0, 0x08, 0xF4).run(); // shld eax,edx,8
        assertEquals(0x3456789A, m.reg(Cpu.EAX));
        assertFalse(m.flag(Flags.CF));
    }

    @Test
    void shrdShiftsInFromTheSource() {
        TestMachine m = new TestMachine();
        m.cpu.r[Cpu.EAX] = 0x12345678;
        m.cpu.r[Cpu.EDX] = 0x9ABCDEF0;
        m.code(0x66, 0x0F, 0xAC, 0xD0, 0x04, 0xF4).run(); // shrd eax,edx,4
        assertEquals(0x01234567, m.reg(Cpu.EAX));
        assertTrue(m.flag(Flags.CF));
    }

    @Test
    void pushAndPopDwordMoveSpByFour() {
        // push dword 11223344h; pop ecx
        TestMachine m = new TestMachine().code(0x66, 0x68, 0x44, 0x33, 0x22, 0x11, 0x66, 0x59, 0xF4);
        m.cpu.run(1);
        assertEquals(TestMachine.STACK - 4, m.reg(Cpu.ESP));
        m.run();
        assertEquals(0x11223344, m.reg(Cpu.ECX));
        assertEquals(TestMachine.STACK, m.reg(Cpu.ESP));
    }

    @Test
    void cmovAndSetcc() {
        // mov ax,1; mov bx,2; cmp ax,bx; cmovl ax,bx; setl cl; sete dl
        TestMachine m = new TestMachine().code(0xB8, 1, 0, 0xBB, 2, 0, 0x39, 0xD8, 0x0F, 0x4C, 0xC3,
                0x0F, 0x9C, 0xC1, 0x0F, 0x94, 0xC2, 0xF4).run();
        assertEquals(2, m.reg(Cpu.EAX));
        assertEquals(1, m.reg(Cpu.ECX) & 0xFF);
        assertEquals(0, m.reg(Cpu.EDX) & 0xFF);
    }

    @Test
    void loopWithAddressSizePrefixCountsEcx() {
        TestMachine m = new TestMachine();
        m.cpu.r[Cpu.ECX] = 0x10002;
        m.code(0x66, 0x40, 0x67, 0xE2, 0xFB, 0xF4); // inc eax; a32 loop (back to inc)
        m.cpu.run(1_000_000);
        assertEquals(0x10002, m.reg(Cpu.EAX));
        assertEquals(0, m.reg(Cpu.ECX));
    }

    @Test
    void bitTestAndScan() {
        // mov ax,0010h; bt ax,4; bsf cx,ax; bts ax,0
        TestMachine m = new TestMachine().code(0xB8, 0x10, 0, 0x0F, 0xBA, 0xE0, 4, 0x0F, 0xBC, 0xC8,
                0x0F, 0xBA, 0xE8, 0, 0xF4).run();
        assertEquals(4, m.reg(Cpu.ECX));
        assertEquals(0x11, m.reg(Cpu.EAX));
        assertFalse(m.flag(Flags.CF), "BTS reports the old bit 0");
    }

    @Test
    void cpuidReportsAPentiumProClassCore() {
        TestMachine m = new TestMachine().code(0x66, 0x31, 0xC0, 0x0F, 0xA2, 0xF4).run(); // xor eax,eax; cpuid
        assertEquals(0x756E6547, m.reg(Cpu.EBX));
        TestMachine n = new TestMachine().code(0x66, 0xB8, 1, 0, 0, 0, 0x0F, 0xA2, 0xF4).run();
        assertEquals(6, (n.reg(Cpu.EAX) >>> 8) & 0xF);
        assertTrue((n.reg(Cpu.EDX) & (1 << 15)) != 0, "CMOV");
        assertTrue((n.reg(Cpu.EDX) & (1 << 8)) != 0, "CMPXCHG8B");
    }

    @Test
    void rdtscCounts() {
        // nop; nop; jnz $+2; rdtsc: the count is kept per block, so three instructions are on it (a JMP would not
        // do: a block goes on across it)
        TestMachine m = new TestMachine().code(0x90, 0x90, 0x75, 0x00, 0x0F, 0x31, 0xF4).run();
        assertTrue(m.reg(Cpu.EAX) >= 3);
        assertEquals(0, m.reg(Cpu.EDX));
    }

    @Test
    void crZeroRoundTrips() {
        // mov eax,cr0; or al,0 ; mov cr0,eax; mov ebx,cr0
        TestMachine m = new TestMachine().code(0x0F, 0x20, 0xC0, 0x0F, 0x22, 0xC0, 0x0F, 0x20, 0xC3, 0xF4).run();
        assertEquals(m.reg(Cpu.EAX), m.reg(Cpu.EBX));
        assertEquals(0, m.reg(Cpu.EAX) & 1, "PE stays off");
    }
}
