package dev.strata.emulator.cpu.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.conformance.ConformanceCpu.Reg;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataAndDifferencesTest {
    @TempDir
    Path dir;

    @Test
    void groupOpcodesTakeTheirRegEntrysFlagMask() throws IOException {
        VectorFiles.writeMetadata(dir);
        TestMetadata m = TestMetadata.load(dir.resolve("metadata.json"));
        assertEquals(65519, m.flagsMask("01"));
        assertEquals(63487, m.flagsMask("D1.6"));
        assertEquals(0xFFFF, m.flagsMask("D1.5"));
        assertEquals(0xFFFF, m.flagsMask("A2"));
        assertEquals("normal", m.status("A2"));
    }

    @Test
    void brokenMetadataNamesTheFile() throws IOException {
        Path f = dir.resolve("metadata.json");
        Files.writeString(f, "{\"cpu\": 286}");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> TestMetadata.load(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("opcodes"), e.getMessage());
    }

    @Test
    void theReaderStreamsEveryFieldOfATest() throws IOException {
        Path f = dir.resolve("CC.json");
        VectorFiles.write(f, List.of(VectorFiles.intTest(7, 0x46, "ABC")));
        TestVector t = VectorFiles.read(f).get(0);
        assertEquals(7, t.index());
        assertEquals("int3", t.name());
        assertEquals(1, t.bytes().length);
        assertEquals(0xCC, t.bytes()[0] & 0xFF);
        assertEquals(0x300, t.initialRegs()[Reg.IP.ordinal()]);
        assertEquals(TestVector.ABSENT, t.finalRegs()[Reg.AX.ordinal()]);
        assertEquals(0, t.expectedReg(Reg.AX));
        assertEquals(0xFFFA, t.expectedReg(Reg.SP));
        assertEquals(3, t.exceptionNumber());
        assertEquals(0x0FFFE, t.exceptionFlagAddress());
        assertEquals(0x46, t.finalRamVal()[0]);
        assertEquals(6, t.initialRamAddr().length);
    }

    @Test
    void aBrokenVectorFileNamesTheFile() throws IOException {
        Path f = dir.resolve("00.json");
        Files.writeString(f, "{\"not\": \"an array\"}");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> new TestVectorReader(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
    }

    @Test
    void differencesReadSkipsAndMasksInSeveralSpellings() {
        CpuDifferences d = CpuDifferences.parse(String.join("\n",
                "# opcode action what reason",
                "D6 skip SALC: not a 286 instruction",
                "0F01.4, mask, flags=0xF000, SMSW: upper MSW bits differ",
                "9D | mask | IOPL NT | POPF can set IOPL/NT in i686 real mode",
                "D1 mask flags-mask=0xF7FF if the count is 0 OF is left",
                "C4 mask regs=sp+bp ram - whatever",
                "8F mask 0xF7FF metadata style",
                "zz skip nonsense",
                "00 frob what"), "diff.txt");
        assertEquals(6, d.entries().size());
        assertTrue(d.warnings().get(1).contains("action must be skip, skip-exception, mask"), d.warnings().get(1));
        assertEquals(2, d.warnings().size());
        assertTrue(d.warnings().get(0).startsWith("diff.txt:8"), d.warnings().get(0));
        assertEquals("SALC: not a 286 instruction", d.skipFor("D6").reason());
        assertNull(d.skipFor("D5"));
        assertEquals(0xF000, d.masksFor("0F01.4").get(0).ignoreFlags());
        assertEquals("SMSW: upper MSW bits differ", d.masksFor("0F01.4").get(0).reason());
        assertEquals(0x7000, d.masksFor("9D").get(0).ignoreFlags());
        CpuDifferences.Entry d1 = d.masksFor("D1.4").get(0);
        assertEquals(0x0800, d1.ignoreFlags());
        assertEquals("if the count is 0 OF is left", d1.reason(), "lower-case 'if' is the reason, not IF");
        CpuDifferences.Entry c4 = d.masksFor("C4").get(0);
        assertEquals(Set.of(Reg.SP, Reg.BP), c4.ignoreRegs());
        assertTrue(c4.ignoreRam());
        assertEquals("whatever", c4.reason());
        assertEquals(0x0800, d.masksFor("8F").get(0).ignoreFlags());
        assertTrue(d.masksFor("D6").isEmpty());
    }

    @Test
    void differencesReadTheCpuFilesOwnFormat() throws IOException {
        CpuDifferences d = CpuDifferences.parse(String.join("\n",
                "prefix-F0 skip LOCK before a non-lockable instruction: the 286 ignores it",
                "exception-13 skip the 286 raises INT 13 for every segment overrun",
                "9D mask=0x0FFF POPF: a 386+ lets POPF set IOPL and NT",
                "8C skip-exception MOV r/m,Sreg with reg 4/5: #UD on the 286"), "286-differences.txt");
        assertEquals(List.of(), d.warnings());
        assertEquals(4, d.entries().size());
        assertEquals(0xF000, d.masksFor("9D").get(0).ignoreFlags());
        assertEquals("POPF: a 386+ lets POPF set IOPL and NT", d.masksFor("9D").get(0).reason());
        assertNull(d.skipFor("8C"), "skip-exception does not skip the whole opcode");

        Path f = dir.resolve("8C.json");
        VectorFiles.write(f, List.of(VectorFiles.intTest(0, 0x02, "x"), VectorFiles.storeTest(1, 5, "y")));
        List<TestVector> tests = VectorFiles.read(f);
        assertEquals("8C", d.testSkipFor("8C", tests.get(0)).opcode(), "an exception test of 8C is skipped");
        assertNull(d.testSkipFor("8C", tests.get(1)));
        assertNull(d.testSkipFor("8D", tests.get(0)));
        assertEquals(CpuDifferences.Scope.EXCEPTION, d.entries().get(1).scope());
    }

    @Test
    void prefixAndExceptionKeysSelectTests() throws IOException {
        CpuDifferences d = CpuDifferences.parse("prefix-F0 skip lock\nexception-3 skip int3\n", "t");
        Path f = dir.resolve("A2.json");
        VectorFiles.write(f, List.of(VectorFiles.storeTest(0, 5, "y"), VectorFiles.intTest(1, 0x02, "x")));
        List<TestVector> tests = VectorFiles.read(f);
        assertNull(d.testSkipFor("A2", tests.get(0)));
        assertEquals("exception-3", d.testSkipFor("CC", tests.get(1)).opcode());
        assertTrue(CpuDifferences.hasPrefix(new byte[] {0x2E, (byte) 0xF0, 0x01, (byte) 0xF0}, 0xF0));
        assertTrue(!CpuDifferences.hasPrefix(new byte[] {(byte) 0xA2, (byte) 0xF0, 0x00}, 0xF0),
                "an F0 after the opcode byte is an operand, not a prefix");
    }

    @Test
    void theShippedDifferencesLoadOrWarn() {
        CpuDifferences d = CpuDifferences.loadDefault();
        assertTrue(!d.entries().isEmpty() || !d.warnings().isEmpty());
    }

    @Test
    void percentagesNeverRoundUpToAPass() {
        assertEquals("100", ConformanceReport.percent(100.0));
        assertEquals("99.9", ConformanceReport.percent(99.9));
        assertEquals("99.999", ConformanceReport.percent(99.99999));
        assertEquals("0", ConformanceReport.percent(0.0));
    }

    @Test
    void revocationListIgnoresCommentsAndCase() throws IOException {
        Path f = dir.resolve("revocation_list.txt");
        Files.writeString(f, "# comment\n\nABCdef  # trailing\n");
        RevocationList r = RevocationList.load(f);
        assertEquals(1, r.size());
        assertTrue(r.isRevoked("abcdef"));
        assertEquals(0, RevocationList.load(dir.resolve("missing.txt")).size());
    }
}
