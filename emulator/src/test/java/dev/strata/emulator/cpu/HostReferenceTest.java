package dev.strata.emulator.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Replays {@code host-reference.txt}: 16- and 32-bit results and flags recorded on an x86-64 host by
 * {@code src/test/c/host_reference.c}, covering the 386+ forms the 80286 vectors cannot. Only flags the
 * architecture defines for each case are compared.
 */
class HostReferenceTest {

    private static final int ALL = 0x8D5;
    private static final Map<String, int[]> CODE = new HashMap<>();

    static {
        code("ADD32", 0x66, 0x01, 0xD8);
        code("ADC32", 0x66, 0x11, 0xD8);
        code("SUB32", 0x66, 0x29, 0xD8);
        code("SBB32", 0x66, 0x19, 0xD8);
        code("AND32", 0x66, 0x21, 0xD8);
        code("OR32", 0x66, 0x09, 0xD8);
        code("XOR32", 0x66, 0x31, 0xD8);
        code("CMP32", 0x66, 0x39, 0xD8);
        code("INC32", 0x66, 0x40);
        code("DEC32", 0x66, 0x48);
        code("NEG32", 0x66, 0xF7, 0xD8);
        code("SHL32", 0x66, 0xD3, 0xE0);
        code("SHR32", 0x66, 0xD3, 0xE8);
        code("SAR32", 0x66, 0xD3, 0xF8);
        code("ROL32", 0x66, 0xD3, 0xC0);
        code("ROR32", 0x66, 0xD3, 0xC8);
        code("RCL32", 0x66, 0xD3, 0xD0);
        code("RCR32", 0x66, 0xD3, 0xD8);
        code("SHLD32", 0x66, 0x0F, 0xA5, 0xD8);
        code("SHRD32", 0x66, 0x0F, 0xAD, 0xD8);
        code("SHLD16", 0x0F, 0xA5, 0xD8);
        code("SHRD16", 0x0F, 0xAD, 0xD8);
        code("BT32", 0x66, 0x0F, 0xA3, 0xD8);
        code("BTS32", 0x66, 0x0F, 0xAB, 0xD8);
        code("BTR32", 0x66, 0x0F, 0xB3, 0xD8);
        code("BTC32", 0x66, 0x0F, 0xBB, 0xD8);
        code("BSF32", 0x66, 0x0F, 0xBC, 0xC3);
        code("BSR32", 0x66, 0x0F, 0xBD, 0xC3);
        code("BSF16", 0x0F, 0xBC, 0xC3);
        code("BSR16", 0x0F, 0xBD, 0xC3);
        code("IMUL32", 0x66, 0x0F, 0xAF, 0xC3);
        code("IMUL16", 0x0F, 0xAF, 0xC3);
        code("MUL32", 0x66, 0xF7, 0xE3);
        code("IMUL1_32", 0x66, 0xF7, 0xEB);
        code("DIV32", 0x66, 0xF7, 0xF3);
        code("IDIV32", 0x66, 0xF7, 0xFB);
        code("XADD32", 0x66, 0x0F, 0xC1, 0xD8);
        code("BSWAP32", 0x66, 0x0F, 0xC8);
        code("MOVSX32", 0x66, 0x0F, 0xBE, 0xC3);
    }

    private static void code(String op, int... bytes) {
        int[] withHlt = new int[bytes.length + 1];
        System.arraycopy(bytes, 0, withHlt, 0, bytes.length);
        withHlt[bytes.length] = 0xF4;
        CODE.put(op, withHlt);
    }

    /** The flags the architecture defines after {@code op} with shift count {@code count}. */
    private static int definedFlags(String op, int count) {
        int n = count & 31;
        switch (op.replaceAll("\\d+$", "").replace("_", "")) {
            case "AND": case "OR": case "XOR": return ALL & ~Flags.AF;
            case "SHL": case "SHR": case "SAR": case "SHLD": case "SHRD":
                return n == 0 ? ALL : n == 1 ? ALL & ~Flags.AF : ALL & ~(Flags.AF | Flags.OF);
            case "ROL": case "ROR": case "RCL": case "RCR":
                return n == 1 || n == 0 ? ALL : ALL & ~Flags.OF;
            case "BT": case "BTS": case "BTR": case "BTC": return Flags.CF;
            case "BSF": case "BSR": return Flags.ZF;
            case "IMUL": case "MUL": case "IMUL1": return Flags.CF | Flags.OF;
            case "DIV": case "IDIV": return 0;
            default: return ALL;
        }
    }

    @Test
    void matchesTheHostOnDefinedResultsAndFlags() throws Exception {
        List<String> failures = new ArrayList<>();
        int cases = 0;
        try (InputStream in = HostReferenceTest.class.getResourceAsStream("host-reference.txt")) {
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = r.readLine()) != null; ) {
                String[] f = line.trim().split("\\s+");
                String op = f[0];
                int a = (int) Long.parseLong(f[1], 16), b = (int) Long.parseLong(f[2], 16);
                int c = (int) Long.parseLong(f[3], 16), d = (int) Long.parseLong(f[4], 16);
                int flagsIn = Integer.parseInt(f[5], 16);
                int wantA = (int) Long.parseLong(f[6], 16), wantD = (int) Long.parseLong(f[7], 16);
                int wantFlags = Integer.parseInt(f[8], 16);
                TestMachine m = new TestMachine();
                m.cpu.r[Cpu.EAX] = a;
                m.cpu.r[Cpu.EBX] = b;
                m.cpu.r[Cpu.ECX] = c;
                m.cpu.r[Cpu.EDX] = d;
                Flags.set(m.cpu, flagsIn, ALL);
                m.code(CODE.get(op)).run();
                int mask = definedFlags(op, c);
                boolean resultDefined = !(op.startsWith("BS") && !op.startsWith("BSWAP")
                        && (op.endsWith("16") ? (b & 0xFFFF) == 0 : b == 0));
                boolean ok = (!resultDefined || m.reg(Cpu.EAX) == wantA) && m.reg(Cpu.EDX) == wantD
                        && ((m.flags() ^ wantFlags) & mask) == 0;
                cases++;
                if (!ok && failures.size() < 20) {
                    failures.add(String.format("%s a=%08X b=%08X c=%X d=%08X: eax=%08X edx=%08X flags=%03X, host %08X %08X %03X"
                            + " (compared flags %03X)", op, a, b, c, d, m.reg(Cpu.EAX), m.reg(Cpu.EDX),
                            m.flags() & ALL, wantA, wantD, wantFlags, mask));
                }
            }
        }
        assertTrue(cases > 4000, "reference file too short: " + cases);
        assertTrue(failures.isEmpty(), String.join("\n", failures));
    }
}
