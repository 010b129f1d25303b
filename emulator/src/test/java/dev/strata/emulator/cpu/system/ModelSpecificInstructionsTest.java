package dev.strata.emulator.cpu.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.ProtectedModeMachine;
import dev.strata.emulator.cpu.TestMachine;
import org.junit.jupiter.api.Test;

/** CPUID, RDTSC, RDMSR/WRMSR, MOV DRn and CR4: what Strata's Pentium II reports and how it faults. */
class ModelSpecificInstructionsTest {

    private static TestMachine cpuid(int leaf) {
        TestMachine m = new TestMachine();
        m.cpu.r[Cpu.EAX] = leaf;
        return m.code(0x0f, 0xa2, 0xf4).run(); // cpuid; hlt
    }

    @Test
    void leafZeroNamesTheVendorAndTheHighestLeaf() {
        TestMachine m = cpuid(0);
        assertEquals(2, m.reg(Cpu.EAX));
        byte[] vendor = new byte[12];
        int[] order = {Cpu.EBX, Cpu.EDX, Cpu.ECX};
        for (int k = 0; k < 12; k++) {
            vendor[k] = (byte) (m.reg(order[k / 4]) >>> (8 * (k % 4)));
        }
        assertEquals("GenuineIntel", new String(vendor, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void leafOneIsAPentiumIiWithExactlyTheImplementedFeatures() {
        TestMachine m = cpuid(1);
        assertEquals(0x0652, m.reg(Cpu.EAX), "family 6, model 5, stepping 2");
        // FPU DE PSE TSC MSR MCE CX8 SEP PGE MCA CMOV; no VME, PAE, APIC, MTRR, PAT, MMX
        assertEquals(0x0000E9BD, m.reg(Cpu.EDX));
        assertEquals(0, m.reg(Cpu.ECX));
        assertEquals(0, m.reg(Cpu.EBX));
    }

    @Test
    void leafTwoGivesThePentiumIiCacheDescriptors() {
        TestMachine m = cpuid(2);
        assertEquals(0x03020101, m.reg(Cpu.EAX));
        assertEquals(0, m.reg(Cpu.EBX));
        assertEquals(0, m.reg(Cpu.ECX));
        assertEquals(0x0C040843, m.reg(Cpu.EDX));
    }

    @Test
    void leavesAboveTheHighestAnswerAsTheHighestBasicLeaf() {
        for (int leaf : new int[] {3, 0x40000000, 0x80000000, 0x80000004, -1}) {
            TestMachine m = cpuid(leaf);
            assertEquals(0x03020101, m.reg(Cpu.EAX), Integer.toHexString(leaf));
            assertEquals(0x0C040843, m.reg(Cpu.EDX), Integer.toHexString(leaf));
        }
    }

    @Test
    void unknownMsrRaisesGeneralProtection() {
        TestMachine m = new TestMachine();
        m.cpu.r[Cpu.ECX] = 0x1B; // IA32_APIC_BASE: no APIC is modelled
        m.code(0x0f, 0x32, 0xf4).run(); // rdmsr; hlt
        assertEquals(13, m.vector());
        TestMachine w = new TestMachine();
        w.cpu.r[Cpu.ECX] = 0x2FF; // MTRRdefType: no MTRRs
        w.code(0x0f, 0x30, 0xf4).run(); // wrmsr; hlt
        assertEquals(13, w.vector());
    }

    @Test
    void platformIdMsr17ReadsPlatformZeroAndFaultsOnWrite() {
        TestMachine m = new TestMachine();
        m.cpu.r[Cpu.ECX] = 0x17; // IA32_PLATFORM_ID, which Linux reads on every P6
        m.cpu.r[Cpu.EAX] = 0x5555;
        m.cpu.r[Cpu.EDX] = 0x5555;
        m.code(0x0f, 0x32, 0xf4).run(); // rdmsr; hlt
        assertEquals(-1, m.vector());
        assertEquals(0, m.reg(Cpu.EAX));
        assertEquals(0, m.reg(Cpu.EDX) >>> 18 & 7, "platform ID bits 52:50");
        assertEquals(0, m.reg(Cpu.EDX));
        TestMachine w = new TestMachine();
        w.cpu.r[Cpu.ECX] = 0x17;
        w.code(0x0f, 0x30, 0xf4).run(); // wrmsr; hlt: the register is read only
        assertEquals(13, w.vector());
    }

    @Test
    void timeStampCounterTakesTheLowHalfWrittenToMsr10AndCountsOnFromThere() {
        TestMachine m = new TestMachine();
        m.cpu.r[Cpu.ECX] = 0x10;
        m.cpu.r[Cpu.EDX] = 0x12;
        m.cpu.r[Cpu.EAX] = 0x34000000;
        // wrmsr; rdtsc; mov ebx,eax; mov esi,edx; hlt
        m.code(0x0f, 0x30, 0x0f, 0x31, 0x66, 0x89, 0xc3, 0x66, 0x89, 0xd6, 0xf4).run();
        long read = (m.reg(Cpu.ESI) & 0xFFFFFFFFL) << 32 | (m.reg(Cpu.EBX) & 0xFFFFFFFFL);
        long written = 0x34000000L; // EDX is not written on a P6: the high half is cleared
        assertTrue(read >= written && read < written + 1000, Long.toHexString(read));
    }

    @Test
    void rdtscIsStrictlyIncreasingAndFollowsTheTimeSource() {
        TestMachine m = new TestMachine();
        long[] nanos = {1_000_000_000L};
        m.cpu.msr.tsc.timeSource(() -> nanos[0]);
        m.cpu.msr.tsc.write(0);
        long a = m.cpu.msr.tsc.read();
        long b = m.cpu.msr.tsc.read();
        nanos[0] += 1_000_000;
        long c = m.cpu.msr.tsc.read();
        assertEquals(0, a);
        assertEquals(1, b, "time stood still: the next read is still larger");
        assertEquals(TimeStampCounter.HZ / 1000, c, "one virtual millisecond");
    }

    @Test
    void sysenterMsrsReadBackWhatWasWritten() {
        TestMachine m = new TestMachine();
        m.cpu.r[Cpu.ECX] = 0x176;
        m.cpu.r[Cpu.EAX] = 0xC0101234;
        // wrmsr; xor eax,eax; rdmsr; hlt
        m.code(0x0f, 0x30, 0x66, 0x31, 0xc0, 0x0f, 0x32, 0xf4).run();
        assertEquals(-1, m.vector());
        assertEquals(0xC0101234, m.reg(Cpu.EAX));
        assertEquals(0xC0101234, m.cpu.msr.sysenterEip);
    }

    @Test
    void debugRegistersFourAndFiveAliasSixAndSevenUnlessCr4DeIsSet() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        // mov eax,dr4; mov ebx,dr5; mov ecx,cr4; or ecx,8; mov cr4,ecx; mov edx,dr4; hlt
        p.code(0x0f, 0x21, 0xe0, 0x0f, 0x21, 0xeb, 0x0f, 0x20, 0xe1, 0x83, 0xc9, 0x08, 0x0f, 0x22, 0xe1, 0x0f, 0x21,
                0xe2, 0xf4).run();
        assertEquals(0xFFFF0FF0, p.reg(Cpu.EAX), "DR6's reset value");
        assertEquals(0x00000400, p.reg(Cpu.EBX), "DR7's reset value");
        assertEquals(8, p.cpu.cr4);
        assertEquals(6, p.vector(), "with CR4.DE, DR4 is undefined");
    }

    @Test
    void debugRegistersKeepWhatIsWrittenWithTheirFixedBits() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        // mov eax,12345678h; mov dr0,eax; mov dr7,eax; xor eax,eax; mov ebx,dr0; mov ecx,dr7; hlt
        p.code(0xb8, 0x78, 0x56, 0x34, 0x12, 0x0f, 0x23, 0xc0, 0x0f, 0x23, 0xf8, 0x31, 0xc0, 0x0f, 0x21, 0xc3, 0x0f,
                0x21, 0xf9, 0xf4).run();
        assertEquals(0x12345678, p.reg(Cpu.EBX));
        assertEquals((0x12345678 & 0xFFFF23FF) | 0x400, p.reg(Cpu.ECX));
    }

    @Test
    void settingAnUnimplementedCr4BitRaisesGeneralProtection() {
        ProtectedModeMachine p = new ProtectedModeMachine();
        // mov eax,20h (PAE); mov cr4,eax; hlt
        p.code(0xb8, 0x20, 0x00, 0x00, 0x00, 0x0f, 0x22, 0xe0, 0xf4).run();
        assertEquals(13, p.vector());
        assertEquals(0, p.errorCode());
        assertEquals(0, p.cpu.cr4);
    }

    /** wrmsr with ECX=index, EDX:EAX=value; then hlt. */
    private static TestMachine wrmsrThenRdmsr(int index, int eax, int edx) {
        TestMachine m = new TestMachine();
        m.cpu.r[Cpu.ECX] = index;
        m.cpu.r[Cpu.EAX] = eax;
        m.cpu.r[Cpu.EDX] = edx;
        // wrmsr; xor eax,eax; xor edx,edx; rdmsr; hlt
        return m.code(0x0f, 0x30, 0x66, 0x31, 0xc0, 0x66, 0x31, 0xd2, 0x0f, 0x32, 0xf4).run();
    }

    @Test
    void performanceCountersKeepTheLow32BitsWrittenWithBit31CopiedToFortyBits() {
        TestMachine m = wrmsrThenRdmsr(0xC1, 0xABCD, 0x77); // what Linux writes to check the PMU is there
        assertEquals(-1, m.vector());
        assertEquals(0xABCD, m.reg(Cpu.EAX));
        assertEquals(0, m.reg(Cpu.EDX), "EDX is not written");
        TestMachine neg = wrmsrThenRdmsr(0xC2, 0x80000001, 0);
        assertEquals(0x80000001, neg.reg(Cpu.EAX));
        assertEquals(0xFF, neg.reg(Cpu.EDX), "bits 39:32 copy bit 31");
    }

    @Test
    void eventSelectsReadBackAndFaultOnReservedBits() {
        TestMachine m = wrmsrThenRdmsr(0x187, 0x0003_00C0, 0);
        assertEquals(-1, m.vector());
        assertEquals(0x0003_00C0, m.reg(Cpu.EAX));
        assertEquals(13, wrmsrThenRdmsr(0x186, 1 << 21, 0).vector(), "bit 21 is reserved");
        assertEquals(13, wrmsrThenRdmsr(0x186, 0xC0, 1).vector(), "the high half is reserved");
    }

    /**
     * Selects {@code event} on counter 0 (enabled, OS and USR), runs ten NOPs and reads the counter with RDPMC. Conditional
     * jumps end the blocks before the WRMSR and the RDPMC, so both see the instruction count exact (a block goes on
     * across a JMP to the next instruction).
     */
    private static TestMachine countTenNops(int event) {
        TestMachine m = new TestMachine();
        m.cpu.r[Cpu.ECX] = 0x186;
        m.cpu.r[Cpu.EAX] = (1 << 22) | (3 << 16) | event;
        m.cpu.r[Cpu.EDX] = 0; // reset leaves the processor signature there
        // jnz $+2; wrmsr; xor ecx,ecx; 10 x nop; jz $+2; rdpmc; hlt
        return m.code(0x75, 0x00, 0x0f, 0x30, 0x66, 0x31, 0xc9, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90, 0x90,
                0x90, 0x74, 0x00, 0x0f, 0x33, 0xf4).run();
    }

    @Test
    void counterZeroCountsInstructionsRetiredAndCyclesOnceEnabled() {
        TestMachine insns = countTenNops(0xC0);
        assertEquals(-1, insns.vector());
        assertEquals(13, insns.reg(Cpu.EAX), "WRMSR, XOR, ten NOPs and the JZ before RDPMC");
        assertEquals(0, insns.reg(Cpu.EDX));
        TestMachine cycles = countTenNops(0x79);
        assertEquals(13 * 4, cycles.reg(Cpu.EAX), "a bare CPU runs 10 ns per instruction at 400 MHz");
        TestMachine other = countTenNops(0x43); // data memory references: not an event Strata counts
        assertEquals(0, other.reg(Cpu.EAX));
    }

    @Test
    void rdpmcOfACounterThatIsNotThereRaisesGeneralProtection() {
        TestMachine m = new TestMachine();
        m.cpu.r[Cpu.ECX] = 2;
        m.code(0x0f, 0x33, 0xf4).run(); // rdpmc; hlt
        assertEquals(13, m.vector());
    }

    @Test
    void machineCheckRegistersReportFiveBanksThatHoldNoErrors() {
        TestMachine cap = wrmsrThenRdmsr(0x17B, -1, -1); // MCG_CTL all ones, as Linux writes it
        assertEquals(-1, cap.vector());
        assertEquals(-1, cap.reg(Cpu.EAX));
        TestMachine m = new TestMachine();
        m.cpu.r[Cpu.ECX] = 0x179;
        m.code(0x0f, 0x32, 0xf4).run(); // rdmsr MCG_CAP; hlt
        assertEquals(0x105, m.reg(Cpu.EAX), "five banks and MCG_CTL present");
        TestMachine status = wrmsrThenRdmsr(0x411, 0, 0); // MC4_STATUS: cleared, reads no error
        assertEquals(-1, status.vector());
        assertEquals(0, status.reg(Cpu.EAX));
        assertEquals(0, status.reg(Cpu.EDX));
        assertEquals(13, wrmsrThenRdmsr(0x401, 1, 0).vector(), "status may only be cleared");
        assertEquals(13, wrmsrThenRdmsr(0x179, 5, 0).vector(), "MCG_CAP is read only");
        assertEquals(13, wrmsrThenRdmsr(0x402, 0, 0).vector(), "MC0_ADDR is not implemented");
        assertEquals(13, wrmsrThenRdmsr(0x414, 0, 0).vector(), "there is no sixth bank");
        TestMachine ctl = wrmsrThenRdmsr(0x40C, 0x1F, 0);
        assertEquals(0x1F, ctl.reg(Cpu.EAX), "MC3_CTL reads back");
    }
}
