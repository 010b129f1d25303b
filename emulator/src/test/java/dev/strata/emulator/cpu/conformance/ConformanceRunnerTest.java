package dev.strata.emulator.cpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.conformance.ConformanceCpu.Reg;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConformanceRunnerTest {
    @TempDir
    Path dir;

    private final StringWriter output = new StringWriter();
    private FakeCpu cpu;

    @BeforeEach
    void writeVectors() throws IOException {
        VectorFiles.writeMetadata(dir);
        VectorFiles.write(dir.resolve("01.json.gz"), List.of(
                VectorFiles.addTest(0, 1, 2, 0x0002, 3, 0x0006, "aa01"),
                VectorFiles.addTest(1, 0xFFFF, 1, 0xF002, 0, 0x0057, "aa02"),
                VectorFiles.addTest(2, 0x10, 0x20, 0x0002, 0x30, 0x0006, "aa03")));
        VectorFiles.write(dir.resolve("A2.json"), List.of(
                VectorFiles.storeTest(0, 0x42, "bb01"),
                VectorFiles.storeTest(1, 0x43, "bb02")));
        VectorFiles.write(dir.resolve("CC.json.gz"), List.of(VectorFiles.intTest(0, 0x02, "cc01")));
        List<TestVector> all = new ArrayList<>();
        for (String f : List.of("01.json.gz", "A2.json", "CC.json.gz")) {
            all.addAll(VectorFiles.read(dir.resolve(f)));
        }
        cpu = new FakeCpu().knowing(all);
        Files.writeString(dir.resolve("revocation_list.txt"), "# bad tests\n\n");
    }

    private ConformanceReport run(CpuDifferences differences, ConformanceOptions options) throws IOException {
        return new ConformanceRunner(cpu, differences, options, new PrintWriter(output))
                .run(ConformanceSuite.open(dir));
    }

    private ConformanceReport run() throws IOException {
        return run(CpuDifferences.none(), ConformanceOptions.defaults());
    }

    @Test
    void aCpuThatMatchesTheVectorsPassesEverything() throws IOException {
        ConformanceReport r = run();
        assertEquals(6, r.passed());
        assertEquals(0, r.failed());
        assertEquals(100.0, r.passRate());
        assertTrue(r.meets(100));
        assertTrue(output.toString().contains("pass rate 100 % (required 100 %): PASS"), output.toString());
        assertEquals(List.of("01", "A2", "CC"), r.opcodes().stream().map(OpcodeResult::key).toList());
    }

    @Test
    void aWrongRegisterFailsWithAReadableDiff() throws IOException {
        cpu.tamper = c -> {
            if (c.regs[Reg.IP.ordinal()] == 0x103) {
                c.regs[Reg.AX.ordinal()] ^= 0x0100;
            }
        };
        ConformanceReport r = run();
        assertEquals(3, r.opcode("01").failed());
        assertEquals(1, r.opcode("01").failures().size(), "only the first failure per opcode is kept");
        assertFalse(r.meets(100));
        assertTrue(r.meets(50));
        String diff = r.opcode("01").failures().get(0);
        assertTrue(diff.contains("FAIL 01 test #0 \"add ax,bx\" (hash aa01)"), diff);
        assertTrue(diff.contains("bytes:  01 D8 F4"), diff);
        assertTrue(diff.contains("* ax          0001     0003    0103"), diff);
        assertTrue(diff.contains("  bx          0002     0002    0002"), diff);
        assertTrue(diff.contains("disasm: add ax,bx"), diff);
        assertTrue(output.toString().contains("3 failed     0 skipped  FAIL"), output.toString());
        assertTrue(output.toString().contains("Failing opcodes (1): 01"), output.toString());
    }

    @Test
    void verboseKeepsEveryFailure() throws IOException {
        cpu.tamper = c -> c.regs[Reg.BX.ordinal()] ^= 1;
        ConformanceReport r = run(CpuDifferences.none(),
                new ConformanceOptions(100, List.of(), 0, true, 1000));
        assertEquals(3, r.opcode("01").failures().size());
    }

    @Test
    void undefinedFlagsFromMetadataAreNotCompared() throws IOException {
        cpu.tamper = c -> c.regs[Reg.FLAGS.ordinal()] ^= 0x0010; // AF: undefined for opcode 01 only
        ConformanceReport r = run();
        assertEquals(3, r.opcode("01").passed());
        assertEquals(2, r.opcode("A2").failed());
        assertTrue(r.opcode("A2").failures().get(0).contains("differs in AF"), r.opcode("A2").failures().get(0));
    }

    @Test
    void theTopFourFlagBitsAreClearedOnLoad() throws IOException {
        List<Integer> loadedFlags = new ArrayList<>();
        FakeCpu plain = cpu;
        cpu = new FakeCpu() {
            @Override
            public void setReg(Reg reg, int value) {
                if (reg == Reg.FLAGS) {
                    loadedFlags.add(value);
                }
                super.setReg(reg, value);
            }
        }.knowing(plain.known);
        // test aa02 starts with FLAGS F002: real mode on a 286 cannot hold IOPL/NT
        assertEquals(3, run().opcode("01").passed());
        assertEquals(0x0002, loadedFlags.get(1));
    }

    @Test
    void aWrongMemoryByteFails() throws IOException {
        cpu.tamper = c -> {
            if (c.regs[Reg.IP.ordinal()] == 0x204) {
                c.ram[0x10010] = 0x00;
            }
        };
        ConformanceReport r = run();
        assertEquals(2, r.opcode("A2").failed());
        String diff = r.opcode("A2").failures().get(0);
        assertTrue(diff.contains("* 010010          42      00"), diff);
    }

    @Test
    void aStrayWriteToACheckedInitialByteFails() throws IOException {
        cpu.tamper = c -> c.ram[0x10101] = 0x00; // overwrites the add's own ModRM byte
        ConformanceReport r = run();
        assertEquals(3, r.opcode("01").failed());
        assertTrue(r.opcode("01").failures().get(0).contains("(should be unchanged)"));
    }

    @Test
    void memoryATestTouchedIsClearedBeforeTheNextOne() throws IOException {
        run();
        assertEquals(0, cpu.ram[0x10010]);
        assertEquals(0, cpu.ram[0x10100]);
        assertEquals(0, cpu.ram[0x0FFFE]);
    }

    @Test
    void undefinedFlagsInTheFlagsWordAnExceptionPushedAreMasked() throws IOException {
        cpu.tamper = c -> {
            if (c.regs[Reg.IP.ordinal()] == 0x501) {
                c.ram[0x0FFFE] ^= 0x10; // AF in the pushed FLAGS
            }
        };
        CpuDifferences masks = CpuDifferences.parse("CC mask AF the fake leaves AF set", "test");
        assertEquals(1, run(masks, ConformanceOptions.defaults()).opcode("CC").passed());
        assertEquals(1, run().opcode("CC").failed(), "without a mask the pushed AF is compared");
    }

    @Test
    void theFlagsPushedAtAnOddStackAddressAreFoundFromTheFrame() throws IOException {
        VectorFiles.write(dir.resolve("CC.json.gz"), List.of(VectorFiles.intTestOddStack(0, 0x02, "cc02")));
        cpu = new FakeCpu().knowing(VectorFiles.read(dir.resolve("CC.json.gz")));
        cpu.tamper = c -> {
            if (c.regs[Reg.IP.ordinal()] == 0x501) {
                c.ram[0x0FFFD] ^= 0x10; // AF in the pushed FLAGS, one byte past the recorded bus address
            }
        };
        CpuDifferences masks = CpuDifferences.parse("CC mask AF the fake leaves AF set", "test");
        assertEquals(1, run(masks, ConformanceOptions.defaults()).opcode("CC").passed());
        ConformanceReport strict = run();
        assertEquals(1, strict.opcode("CC").failed());
        String diff = strict.opcode("CC").failures().get(0);
        assertTrue(diff.contains("FLAGS pushed at 00FFFD"), diff);
        assertTrue(diff.contains("* 00FFFD          02      12" + System.lineSeparator()), diff);
    }

    @Test
    void aSkipEntrySkipsTheOpcodeAndSaysWhy() throws IOException {
        cpu.tamper = c -> c.regs[Reg.AX.ordinal()] ^= 1;
        CpuDifferences d = CpuDifferences.parse("# header\n01  skip  ADD differs on purpose in this test\n", "t");
        ConformanceReport r = run(d, ConformanceOptions.defaults());
        assertEquals(3, r.opcode("01").skipped());
        assertEquals(0, r.opcode("01").failed());
        assertTrue(output.toString().contains("skip 01      ADD differs on purpose in this test"), output.toString());
        assertTrue(output.toString().contains("(skipped: ADD differs on purpose in this test)"), output.toString());
    }

    @Test
    void aMaskEntryIgnoresTheRegisterItNames() throws IOException {
        cpu.tamper = c -> c.regs[Reg.SP.ordinal()] ^= 2;
        CpuDifferences d = CpuDifferences.parse("A2 mask sp stack differs\n", "t");
        ConformanceReport r = run(d, ConformanceOptions.defaults());
        assertEquals(2, r.opcode("A2").passed());
        assertEquals(3, r.opcode("01").failed());
        assertTrue(output.toString().contains("mask A2      [not compared: sp] stack differs"), output.toString());
    }

    @Test
    void prefixAndExceptionRulesSkipSingleTestsAndAreCounted() throws IOException {
        cpu.tamper = c -> {
            if (c.regs[Reg.IP.ordinal()] == 0x501) {
                c.regs[Reg.SP.ordinal()] ^= 2; // breaks only the int3 test
            }
        };
        CpuDifferences d = CpuDifferences.parse("exception-3 skip breakpoints differ here\n", "t");
        ConformanceReport r = run(d, ConformanceOptions.defaults());
        assertEquals(1, r.opcode("CC").skipped());
        assertEquals(0, r.failed());
        assertTrue(output.toString().contains("skipped by 286-differences.txt exception-3: 1 tests"), output.toString());
    }

    @Test
    void aCompareMaskFromTheDifferencesAppliesToFinalFlags() throws IOException {
        cpu.tamper = c -> c.regs[Reg.FLAGS.ordinal()] |= 0x4000; // NT set
        CpuDifferences d = CpuDifferences.parse("A2 mask=0x0FFF a 386+ keeps NT\n", "t");
        ConformanceReport r = run(d, ConformanceOptions.defaults());
        assertEquals(2, r.opcode("A2").passed());
        assertEquals(3, r.opcode("01").failed());
    }

    @Test
    void revokedTestsAreSkipped() throws IOException {
        Files.writeString(dir.resolve("revocation_list.txt"), "# bad\nAA02\n");
        ConformanceReport r = run();
        assertEquals(2, r.opcode("01").passed());
        assertEquals(1, r.opcode("01").skipped());
    }

    @Test
    void aCpuThatThrowsOrNeverHaltsFailsTheTestNotTheRun() throws IOException {
        cpu.toThrow = new IllegalStateException("opcode not implemented");
        ConformanceReport r = run();
        assertEquals(6, r.failed());
        assertTrue(r.opcode("01").failures().get(0).contains(
                "reason: CPU threw java.lang.IllegalStateException: opcode not implemented"));
        cpu.toThrow = null;
        cpu.halts = false;
        ConformanceReport r2 = run(CpuDifferences.none(), new ConformanceOptions(100, List.of(), 0, false, 77));
        assertEquals(6, r2.failed());
        assertTrue(r2.opcode("A2").failures().get(0).contains("did not halt within 77 instructions"));
    }

    @Test
    void theOpcodeFilterAndLimitSelectTests() throws IOException {
        ConformanceReport r = run(CpuDifferences.none(), new ConformanceOptions(100, List.of("a2", "01"), 2, false,
                1000));
        assertEquals(List.of("01", "A2"), r.opcodes().stream().map(OpcodeResult::key).toList());
        assertEquals(2, r.opcode("01").passed());
        assertEquals(4, cpu.runs);
    }

    @Test
    void anEmptySelectionNeverSucceeds() throws IOException {
        ConformanceReport r = run(CpuDifferences.none(), new ConformanceOptions(0, List.of("F4"), 0, false, 10));
        assertFalse(r.meets(0));
        assertTrue(output.toString().contains("No opcode file matches [F4]"), output.toString());
    }

    @Test
    void aFolderWithoutMetadataIsRefusedClearly() throws IOException {
        Files.delete(dir.resolve("metadata.json"));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> ConformanceSuite.open(dir));
        assertTrue(e.getMessage().contains("has no metadata.json"), e.getMessage());
    }
}
