package dev.strata.emulator.cpu.fpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.Flags;
import dev.strata.emulator.cpu.TestMachine;
import org.junit.jupiter.api.Test;

/** x87 instructions run by the CPU in real mode: stack, conversions, compares, FXAM, BCD, exceptions, #NM, #MF. */
class FpuInstructionsTest {

    private static final int DATA = 0x500;
    private static final int OUT = 0x600;
    private static final int HLT = 0xF4;

    private final TestMachine m = new TestMachine();
    private final Fpu f = m.cpu.fpu;

    private void putLong(int at, long v) {
        for (int k = 0; k < 8; k++) {
            m.mem.write8(at + k, (int) (v >>> (8 * k)));
        }
    }

    private long getLong(int at) {
        long v = 0;
        for (int k = 7; k >= 0; k--) {
            v = v << 8 | m.mem.read8(at + k);
        }
        return v;
    }

    private TestMachine run(int... code) {
        int[] withHlt = java.util.Arrays.copyOf(code, code.length + 1);
        withHlt[code.length] = HLT;
        return m.code(withHlt).run();
    }

    @Test
    void doublesLoadAndStoreExactlyAndIntegersRoundToNearestEven() {
        putLong(DATA, Double.doubleToRawLongBits(2.5));
        // fld qword [500]; fist word [600]; fld1; faddp; fistp word [602]; fstp qword [608]
        run(0xDD, 0x06, 0x00, 0x05, 0xDF, 0x16, 0x00, 0x06, 0xD9, 0xE8, 0xDE, 0xC1, 0xDF, 0x1E, 0x02, 0x06);
        assertEquals(2, m.mem.read16(OUT));
        assertEquals(4, m.mem.read16(OUT + 2)); // 3.5 rounds to 4
        assertEquals(Fpu.PE, f.status() & 0x3F);
        assertEquals(0xFF, f.empty);
    }

    @Test
    void integerOverflowStoresTheIntegerIndefinite() {
        putLong(DATA, Double.doubleToRawLongBits(40000.0));
        run(0xDD, 0x06, 0x00, 0x05, 0xDF, 0x1E, 0x00, 0x06); // fld; fistp word [600]
        assertEquals(0x8000, m.mem.read16(OUT));
        assertEquals(Fpu.IE, f.status() & 0x7F);
    }

    @Test
    void singleStoreRoundsByTheRoundingControl() {
        putLong(DATA, Double.doubleToRawLongBits(1.0 / 3));
        m.mem.write16(DATA + 8, 0x037F | 0x0C00); // round toward zero
        // fldcw [508]; fld qword [500]; fstp dword [600]
        run(0xD9, 0x2E, 0x08, 0x05, 0xDD, 0x06, 0x00, 0x05, 0xD9, 0x1E, 0x00, 0x06);
        assertEquals(0x3EAAAAAA, m.mem.read32(OUT));
        assertFalse((f.status() & Fpu.C1) != 0);
    }

    @Test
    void stackOverflowSetsC1AndPushesTheIndefinite() {
        int[] code = new int[18];
        for (int k = 0; k < 9; k++) {
            code[2 * k] = 0xD9;
            code[2 * k + 1] = 0xE8; // fld1
        }
        run(code);
        assertEquals(Fpu.IE | Fpu.SF | Fpu.C1, f.status() & (0x7F | Fpu.C1));
        assertEquals(0xFFFF, f.se(0));
        assertEquals(0xC000000000000000L, f.sig(0));
    }

    @Test
    void stackUnderflowClearsC1AndWritesTheIndefinite() {
        run(0xD8, 0xC1); // fadd st0, st1 on an empty stack
        assertEquals(Fpu.IE | Fpu.SF, f.status() & (0x7F | Fpu.C1));
        assertEquals(0xFFFF, f.se(0));
    }

    @Test
    void fxamReportsEveryClass() {
        int[][] values = {{0, 0, 0}, {0x3FFF, 1, 0}, {0x0000, 2, 0}, {0x7FFF, 3, 0}, {0xFFFF, 4, 1}, {0x3FFF, 5, 0}};
        long[] sigs = {0, 0x8000000000000000L, 1, 0x8000000000000000L, 0xC000000000000000L, 0x4000000000000000L};
        int[] expected = {Fpu.C3, Fpu.C2, Fpu.C3 | Fpu.C2, Fpu.C2 | Fpu.C0, Fpu.C0 | Fpu.C1, 0};
        for (int k = 0; k < values.length; k++) {
            TestMachine t = new TestMachine();
            Fpu g = t.cpu.fpu;
            g.push(values[k][0], sigs[k]);
            t.code(0xD9, 0xE5, HLT).run();
            assertEquals(expected[k], g.status() & Fpu.CC, "class " + k);
        }
        TestMachine t = new TestMachine();
        t.code(0xD9, 0xE5, HLT).run();
        assertEquals(Fpu.C3 | Fpu.C0, t.cpu.fpu.status() & (Fpu.CC & ~Fpu.C1), "empty");
    }

    @Test
    void fcomiSetsZfPfCf() {
        f.push(0x3FFF, 0x8000000000000000L); // st1 = 1
        f.push(0x4000, 0x8000000000000000L); // st0 = 2
        run(0xDB, 0xF1); // fcomi st0, st1
        assertEquals(0, Flags.get(m.cpu) & (Flags.ZF | Flags.PF | Flags.CF));
        TestMachine t = new TestMachine();
        t.cpu.fpu.push(0x7FFF, 0xC000000000000000L);
        t.cpu.fpu.push(0x3FFF, 0x8000000000000000L);
        t.code(0xDF, 0xE9, HLT).run(); // fucomip st0, st1 with a QNaN: unordered, no IE
        assertEquals(Flags.ZF | Flags.PF | Flags.CF, Flags.get(t.cpu) & (Flags.ZF | Flags.PF | Flags.CF));
        assertEquals(0, t.cpu.fpu.status() & 0x3F);
        assertEquals(7, t.cpu.fpu.top); // popped once
    }

    @Test
    void fcomSetsConditionCodes() {
        f.push(0x4000, 0x8000000000000000L);
        f.push(0x3FFF, 0x8000000000000000L);
        run(0xD8, 0xD1, 0xDF, 0xE0); // fcom st1; fnstsw ax
        assertEquals(Fpu.C0, m.reg(Cpu.EAX) & Fpu.CC);
    }

    @Test
    void packedBcdRoundTrips() {
        // -123456789012345678
        int[] bcd = {0x78, 0x56, 0x34, 0x12, 0x90, 0x78, 0x56, 0x34, 0x12, 0x80};
        m.data(DATA, bcd);
        run(0xDF, 0x26, 0x00, 0x05, 0xDF, 0x36, 0x00, 0x06); // fbld [500]; fbstp [600]
        for (int k = 0; k < 10; k++) {
            assertEquals(bcd[k], m.mem.read8(OUT + k), "byte " + k);
        }
        assertEquals(0, f.status() & 0x3F);
    }

    @Test
    void bcdOverflowStoresTheBcdIndefinite() {
        putLong(DATA, Double.doubleToRawLongBits(1e18));
        run(0xDD, 0x06, 0x00, 0x05, 0xDF, 0x36, 0x00, 0x06);
        assertEquals(0xC000000000000000L, getLong(OUT));
        assertEquals(0xFFFF, m.mem.read16(OUT + 8));
    }

    @Test
    void fnsaveInRealModeStoresLinearPointersAndReinitializes() {
        putLong(DATA, Double.doubleToRawLongBits(1.0));
        // fld qword [500] (at 0700:0100); fnsave [600]
        run(0xDD, 0x06, 0x00, 0x05, 0xDD, 0x36, 0x00, 0x06);
        assertEquals(0x037F, m.mem.read16(OUT));
        assertEquals(7 << 11, m.mem.read16(OUT + 2)); // TOP = 7
        assertEquals(0x3FFF, m.mem.read16(OUT + 4)); // R7 valid, the rest empty
        int ip = TestMachine.CODE_PHYSICAL;
        assertEquals(ip & 0xFFFF, m.mem.read16(OUT + 6));
        assertEquals((ip >>> 16) << 12 | 0x506, m.mem.read16(OUT + 8)); // FOP: DD 06 -> 5 06
        assertEquals(DATA, m.mem.read16(OUT + 10));
        assertEquals(0, m.mem.read16(OUT + 12));
        assertEquals(0x8000000000000000L, getLong(OUT + 14));
        assertEquals(0x3FFF, m.mem.read16(OUT + 22));
        assertEquals(0x037F, f.cw);
        assertEquals(0xFF, f.empty);
    }

    @Test
    void fnstenv32InRealModeUsesTheWideLayout() {
        putLong(DATA, Double.doubleToRawLongBits(1.0));
        run(0xDD, 0x06, 0x00, 0x05, 0x66, 0xD9, 0x36, 0x00, 0x06); // fld; o32 fnstenv [600]
        assertEquals(0xFFFF037F, m.mem.read32(OUT));
        assertEquals(0xFFFF0000 | 0x3800, m.mem.read32(OUT + 4));
        int ip = TestMachine.CODE_PHYSICAL;
        assertEquals(0xFFFF0000 | (ip & 0xFFFF), m.mem.read32(OUT + 12));
        assertEquals((ip >>> 16) << 12 | 0x506, m.mem.read32(OUT + 16));
        assertEquals(0xFFFF0000 | DATA, m.mem.read32(OUT + 20));
        assertEquals(0x37F | 0x3F, f.cw); // all exceptions masked afterwards
    }

    @Test
    void frstorRestoresWhatFnsaveStored() {
        f.push(0x4000, 0xC000000000000000L);
        f.setControl(0x0F7F);
        run(0xDD, 0x36, 0x00, 0x06, 0xDD, 0x26, 0x00, 0x06); // fnsave [600]; frstor [600]
        assertEquals(0x0F7F, f.cw);
        assertEquals(7, f.top);
        assertEquals(0x4000, f.se(0));
        assertEquals(0xC000000000000000L, f.sig(0));
        assertTrue(f.isEmpty(1));
    }

    @Test
    void unmaskedExceptionIsDeliveredAsMfWithCr0Ne() {
        m.mem.write16(DATA, 0x037E); // invalid operation unmasked
        m.cpu.cr0 |= 0x20;
        // fldcw [500]; fadd st0, st1 (empty: IE pending); fwait
        run(0xD9, 0x2E, 0x00, 0x05, 0xD8, 0xC1, 0x9B);
        assertEquals(16, m.vector());
        assertEquals(TestMachine.CODE + 6, m.pushedIp());
        assertTrue((f.status() & (Fpu.ES | Fpu.B)) == (Fpu.ES | Fpu.B));
    }

    @Test
    void unmaskedExceptionRaisesFerrWithoutCr0NeAndPortF0Clears() {
        boolean[] line = new boolean[1];
        f.connectFerr(high -> line[0] = high);
        m.mem.write16(DATA, 0x037E);
        run(0xD9, 0x2E, 0x00, 0x05, 0xD8, 0xC1, 0x9B);
        assertTrue(line[0]);
        assertEquals(-1, m.vector());
        f.clearBusy();
        assertFalse(line[0]);
        assertTrue(f.ignne);
        TestMachine t = m;
        t.code(0xDB, 0xE2, HLT); // fnclex ends IGNNE# too
        t.cpu.eip = TestMachine.CODE;
        t.cpu.halted = false;
        t.run();
        assertFalse(f.ignne);
        assertEquals(0, f.status() & 0xFF);
    }

    @Test
    void escapeRaisesNmWhenTaskSwitchedOrEmulated() {
        m.cpu.cr0 |= 0x8;
        run(0xD9, 0xE8);
        assertEquals(7, m.vector());
        TestMachine t = new TestMachine();
        t.cpu.cr0 |= 0x4;
        t.code(0xD9, 0xE8, HLT).run();
        assertEquals(7, t.vector());
    }

    @Test
    void waitRaisesNmOnlyWithMpAndTs() {
        m.cpu.cr0 |= 0x8;
        run(0x9B);
        assertEquals(-1, m.vector());
        TestMachine t = new TestMachine();
        t.cpu.cr0 |= 0xA;
        t.code(0x9B, HLT).run();
        assertEquals(7, t.vector());
    }

    @Test
    void fisttpIsUndefinedOnThisProcessor() {
        run(0xDB, 0x0E, 0x00, 0x06);
        assertEquals(6, m.vector());
    }

    @Test
    void cpuidReportsTheFpu() {
        m.cpu.r[Cpu.EAX] = 1;
        run(0x0F, 0xA2);
        assertEquals(1, m.reg(Cpu.EDX) & 1);
    }

    @Test
    void transcendentalsRoundCorrectly() {
        f.push(0x3FFF, 0x8000000000000000L); // 1.0
        run(0xD9, 0xFE); // fsin
        assertEquals(0x3FFE, f.se(0));
        assertEquals(0xD76AA47848677021L, f.sig(0)); // sin(1) = 0.8414709848078965066525...
        TestMachine t = new TestMachine();
        t.cpu.fpu.push(0x3FFF, 0x8000000000000000L); // y = 1
        t.cpu.fpu.push(0x4002, 0x8000000000000000L); // x = 8
        t.code(0xD9, 0xF1, HLT).run(); // fyl2x: 3 exactly
        assertEquals(0x4000, t.cpu.fpu.se(0));
        assertEquals(0xC000000000000000L, t.cpu.fpu.sig(0));
        assertEquals(0, t.cpu.fpu.status() & Fpu.PE);
        TestMachine p = new TestMachine();
        p.cpu.fpu.push(0x3FFF, 0x8000000000000000L);
        p.cpu.fpu.push(0x3FFF, 0x8000000000000000L);
        p.code(0xD9, 0xF3, HLT).run(); // fpatan(1, 1) = pi/4
        assertEquals(0x3FFE, p.cpu.fpu.se(0));
        assertEquals(0xC90FDAA22168C235L, p.cpu.fpu.sig(0));
    }
}
