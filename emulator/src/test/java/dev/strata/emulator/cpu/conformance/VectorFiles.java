package dev.strata.emulator.cpu.conformance;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/** Writes small SingleStepTests-style vector folders for the runner's tests. */
final class VectorFiles {
    private static final ObjectMapper JSON = new ObjectMapper();

    private VectorFiles() {
    }

    /** A test of {@code add ax,bx} (01 D8) at 1000:0100 with the given results. */
    static Map<String, Object> addTest(int idx, int ax, int bx, int flagsIn, int axOut, int flagsOut, String hash) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("idx", idx);
        t.put("name", "add ax,bx");
        t.put("bytes", List.of(0x01, 0xD8, 0xF4));
        t.put("initial", Map.of(
                "regs", regs(ax, bx, flagsIn, 0x100),
                "ram", List.of(List.of(0x10100, 0x01), List.of(0x10101, 0xD8), List.of(0x10102, 0xF4))));
        t.put("final", Map.of(
                "regs", Map.of("ax", axOut, "ip", 0x103, "flags", flagsOut),
                "ram", List.of()));
        t.put("hash", hash);
        return t;
    }

    /** A test of {@code mov [0x0010],al} (A2 10 00) that writes one byte at 0x10010. */
    static Map<String, Object> storeTest(int idx, int al, String hash) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("idx", idx);
        t.put("name", "mov [0x0010],al");
        t.put("bytes", List.of(0xA2, 0x10, 0x00, 0xF4));
        t.put("initial", Map.of(
                "regs", regs(al, 0, 0x0002, 0x200),
                "ram", List.of(List.of(0x10200, 0xA2), List.of(0x10201, 0x10), List.of(0x10202, 0x00),
                        List.of(0x10203, 0xF4), List.of(0x10010, 0x99))));
        t.put("final", Map.of(
                "regs", Map.of("ip", 0x204),
                "ram", List.of(List.of(0x10010, al))));
        t.put("hash", hash);
        return t;
    }

    /** A test of {@code int 3} (CC) whose handler's pushed FLAGS sit at {@code 0x0FFFA}. */
    static Map<String, Object> intTest(int idx, int pushedFlagsLow, String hash) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("idx", idx);
        t.put("name", "int3");
        t.put("bytes", List.of(0xCC));
        t.put("initial", Map.of(
                "regs", regs(0, 0, 0x0012, 0x300),
                "ram", List.of(List.of(0x10300, 0xCC), List.of(0x0000C, 0x00), List.of(0x0000D, 0x05),
                        List.of(0x0000E, 0x00), List.of(0x0000F, 0x00), List.of(0x00500, 0xF4))));
        t.put("final", Map.of(
                "regs", Map.of("ip", 0x501, "cs", 0, "sp", 0xFFFA, "flags", 0x0002),
                "ram", List.of(List.of(0x0FFFE, pushedFlagsLow), List.of(0x0FFFF, 0x00),
                        List.of(0x0FFFC, 0x00), List.of(0x0FFFD, 0x10),
                        List.of(0x0FFFA, 0x01), List.of(0x0FFFB, 0x03))));
        t.put("exception", Map.of("number", 3, "flag_address", 0x0FFFE));
        t.put("hash", hash);
        return t;
    }

    /**
     * {@code int 3} with an odd stack pointer: the FLAGS word sits at 0x0FFFD, and the vector records the even bus
     * address 0x0FFFC as real 80286 vectors do.
     */
    static Map<String, Object> intTestOddStack(int idx, int pushedFlagsLow, String hash) {
        Map<String, Object> t = intTest(idx, pushedFlagsLow, hash);
        @SuppressWarnings("unchecked")
        Map<String, Object> initial = new LinkedHashMap<>((Map<String, Object>) t.get("initial"));
        @SuppressWarnings("unchecked")
        Map<String, Object> initRegs = new LinkedHashMap<>((Map<String, Object>) initial.get("regs"));
        initRegs.put("sp", 0xFFFF);
        initial.put("regs", initRegs);
        t.put("initial", initial);
        t.put("final", Map.of(
                "regs", Map.of("ip", 0x501, "cs", 0, "sp", 0xFFF9, "flags", 0x0002),
                "ram", List.of(List.of(0x0FFFD, pushedFlagsLow), List.of(0x0FFFE, 0x00),
                        List.of(0x0FFFB, 0x00), List.of(0x0FFFC, 0x10),
                        List.of(0x0FFF9, 0x01), List.of(0x0FFFA, 0x03))));
        t.put("exception", Map.of("number", 3, "flag_address", 0x0FFFC));
        return t;
    }

    private static Map<String, Object> regs(int ax, int bx, int flags, int ip) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ax", ax);
        r.put("bx", bx);
        r.put("cx", 0);
        r.put("dx", 0);
        r.put("cs", 0x1000);
        r.put("ss", 0x0000);
        r.put("ds", 0x1000);
        r.put("es", 0);
        r.put("sp", 0x0000);
        r.put("bp", 0);
        r.put("si", 0);
        r.put("di", 0);
        r.put("ip", ip);
        r.put("flags", flags);
        return r;
    }

    static void write(Path file, List<Map<String, Object>> tests) throws IOException {
        if (file.toString().endsWith(".gz")) {
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                JSON.writeValue(out, tests);
            }
        } else {
            JSON.writeValue(file.toFile(), tests);
        }
    }

    /** metadata.json with an AF-undefined mask on opcode 01 and on group entry D1.6. */
    static void writeMetadata(Path dir) throws IOException {
        Map<String, Object> ops = new LinkedHashMap<>();
        ops.put("01", Map.of("status", "normal", "flags-mask", 65519));
        ops.put("A2", Map.of("status", "normal"));
        ops.put("CC", Map.of("status", "normal"));
        ops.put("D1", Map.of("reg", Map.of("6", Map.of("status", "normal", "flags-mask", 63487))));
        JSON.writeValue(dir.resolve("metadata.json").toFile(), Map.of("cpu", "286", "opcodes", ops));
    }

    static List<TestVector> read(Path file) throws IOException {
        List<TestVector> out = new ArrayList<>();
        try (TestVectorReader r = new TestVectorReader(file)) {
            for (TestVector t = r.next(); t != null; t = r.next()) {
                out.add(t);
            }
        }
        return out;
    }
}
