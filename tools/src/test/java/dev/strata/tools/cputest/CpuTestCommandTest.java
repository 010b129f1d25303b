package dev.strata.tools.cputest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.conformance.ConformanceCpu;
import dev.strata.emulator.cpu.translate.JitMode;
import dev.strata.tools.StrataCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CpuTestCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private Function<JitMode, ConformanceCpu> previous;

    /** A CPU that loads state and does nothing: it passes exactly the tests whose final state is unchanged. */
    private static final class IdleCpu implements ConformanceCpu {
        private final int[] regs = new int[Reg.values().length];
        private final byte[] ram = new byte[1 << 24];

        @Override
        public void setReg(Reg reg, int value) {
            regs[reg.ordinal()] = value & 0xFFFF;
        }

        @Override
        public int getReg(Reg reg) {
            return regs[reg.ordinal()];
        }

        @Override
        public void writeByte(int physicalAddress, int value) {
            ram[physicalAddress & 0xFFFFFF] = (byte) value;
        }

        @Override
        public int readByte(int physicalAddress) {
            return ram[physicalAddress & 0xFFFFFF] & 0xFF;
        }

        @Override
        public boolean runUntilHalt(long maxInstructions) {
            return true;
        }
    }

    private static String test(int idx, String finalRegs) {
        return "{\"idx\":" + idx + ",\"name\":\"nop\",\"bytes\":[144,244],\"initial\":{\"regs\":{\"ax\":1,\"bx\":2,"
                + "\"cx\":3,\"dx\":4,\"cs\":0,\"ss\":0,\"ds\":0,\"es\":0,\"sp\":256,\"bp\":0,\"si\":0,\"di\":0,"
                + "\"ip\":4096,\"flags\":2},\"ram\":[[4096,144],[4097,244]]},\"final\":{\"regs\":{" + finalRegs
                + "},\"ram\":[]},\"hash\":\"h" + idx + "\"}";
    }

    @BeforeEach
    void writeVectors() throws IOException {
        Files.writeString(dir.resolve("metadata.json"), "{\"opcodes\":{\"90\":{\"status\":\"normal\"}}}");
        Files.writeString(dir.resolve("90.json"), "[" + test(0, "") + "," + test(1, "") + "," + test(2, "")
                + "," + test(3, "\"ax\":7") + "]");
        Files.writeString(dir.resolve("91.json"), "[" + test(0, "") + "]");
        previous = ConformanceCpus.use(IdleCpu::new);
    }

    @AfterEach
    void restoreCpu() {
        ConformanceCpus.use(previous);
    }

    private int run(String... args) {
        CommandLine cl = StrataCli.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }

    @Test
    void exitsZeroOnlyWhenThePassRateReachesMinPass() {
        assertEquals(1, run("cputest", dir.toString()));
        assertTrue(out.toString().contains("Total: 4 passed, 1 failed, 0 skipped; pass rate 80 % (required 100 %)"
                + ": FAIL"), out.toString());
        assertTrue(out.toString().contains("FAIL 90 test #3 \"nop\""), out.toString());
        assertEquals(0, run("cputest", dir.toString(), "--min-pass", "80"));
    }

    @Test
    void opcodeAndLimitSelectTests() {
        assertEquals(0, run("cputest", dir.toString(), "--opcode", "91"));
        assertTrue(out.toString().contains("Total: 1 passed, 0 failed"), out.toString());
        assertFalse(out.toString().contains("  90 "), out.toString());
        assertEquals(0, run("cputest", dir.toString(), "--limit", "3"));
    }

    @Test
    void aMissingFolderIsAClearErrorWithoutAStackTrace() {
        assertEquals(1, run("cputest", dir.resolve("nope").toString()));
        assertTrue(err.toString().startsWith("strata: "), err.toString());
        assertTrue(err.toString().contains("no such directory"), err.toString());
        assertFalse(err.toString().contains("\tat "), err.toString());
    }

    @Test
    void aFolderWithoutMetadataIsAClearError() throws IOException {
        Files.delete(dir.resolve("metadata.json"));
        assertEquals(1, run("cputest", dir.toString()));
        assertTrue(err.toString().contains("has no metadata.json"), err.toString());
    }

    @Test
    void badOptionsAreRefusedClearly() {
        assertEquals(1, run("cputest", dir.toString(), "--opcode", "XYZ"));
        assertTrue(err.toString().contains("--opcode XYZ"), err.toString());
        assertEquals(1, run("cputest", dir.toString(), "--min-pass", "120"));
        assertTrue(err.toString().contains("--min-pass must be a percentage"), err.toString());
    }
}
