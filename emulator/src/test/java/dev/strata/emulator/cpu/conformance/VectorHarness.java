package dev.strata.emulator.cpu.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Developer harness for the 80286 real-mode vectors: runs every {@code *.json.gz} in a directory through an
 * {@link InterpreterConformanceCpu} and reports per-opcode pass rates. Applies metadata.json flag masks, the
 * top-four-bit mask of the initial flags, the pushed-FLAGS mask for exceptions, the revocation list, and the
 * skip/mask lines of {@code 286-differences.txt}. Run with {@code main(dir [opcode...])}.
 */
public final class VectorHarness {

    /** Per-file result. */
    public static final class FileResult {
        public final String name;
        public int passed, failed, skipped;
        public String firstFailure;

        FileResult(String name) {
            this.name = name;
        }
    }

    private static final ConformanceCpu.Reg[] REGS = ConformanceCpu.Reg.values();
    private final ObjectMapper json = new ObjectMapper();
    private final Path dir;
    private final JsonNode metadata;
    private final Set<String> revoked = new HashSet<>();
    private final Map<String, String> differences = new HashMap<>();
    private final InterpreterConformanceCpu cpu = new InterpreterConformanceCpu();

    public VectorHarness(Path dir) throws IOException {
        this.dir = dir;
        this.metadata = json.readTree(dir.resolve("metadata.json").toFile()).get("opcodes");
        for (String line : Files.readAllLines(dir.resolve("revocation_list.txt"))) {
            line = line.trim();
            if (!line.isEmpty() && !line.startsWith("#")) {
                revoked.add(line);
            }
        }
        try (InputStream in = VectorHarness.class.getResourceAsStream("286-differences.txt")) {
            if (in != null) {
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line; (line = r.readLine()) != null; ) {
                    line = line.trim();
                    if (!line.isEmpty() && !line.startsWith("#")) {
                        String[] f = line.split("\\s+", 3);
                        differences.put(f[0].toUpperCase(), f[1]);
                    }
                }
            }
        }
    }

    public List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json.gz")).sorted().collect(Collectors.toList());
        }
    }

    private int flagsMask(String opcode) {
        String[] parts = opcode.split("\\.");
        JsonNode node = metadata.get(parts[0]);
        if (node != null && parts.length > 1 && node.has("reg")) {
            node = node.get("reg").get(parts[1]);
        }
        int mask = node != null && node.has("flags-mask") ? node.get("flags-mask").asInt() : 0xFFFF;
        String diff = differences.get(opcode);
        if (diff == null) {
            diff = differences.get(parts[0]);
        }
        if (diff != null && diff.startsWith("mask=")) {
            mask &= Integer.decode(diff.substring(5));
        }
        return mask;
    }

    private boolean skipped(String opcode) {
        String diff = differences.get(opcode);
        if (diff == null) {
            diff = differences.get(opcode.split("\\.")[0]);
        }
        return "skip".equals(diff);
    }

    private boolean exceptionSkipped(String opcode, JsonNode t) {
        if (!t.has("exception")) {
            return false;
        }
        String diff = differences.get(opcode);
        if (diff == null) {
            diff = differences.get(opcode.split("\\.")[0]);
        }
        return "skip-exception".equals(diff)
                || "skip".equals(differences.get("EXCEPTION-" + t.get("exception").get("number").asInt()));
    }

    private boolean prefixSkipped(JsonNode bytes) {
        for (JsonNode b : bytes) {
            int v = b.asInt();
            boolean prefix = v == 0x26 || v == 0x2E || v == 0x36 || v == 0x3E || v == 0xF0 || v == 0xF2 || v == 0xF3;
            if (!prefix) {
                return false;
            }
            if ("skip".equals(differences.get(String.format("PREFIX-%02X", v)))) {
                return true;
            }
        }
        return false;
    }

    public FileResult runFile(Path file) throws IOException {
        String opcode = file.getFileName().toString().replace(".json.gz", "");
        FileResult res = new FileResult(opcode);
        JsonNode tests;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            tests = json.readTree(in);
        }
        if (skipped(opcode)) {
            res.skipped = tests.size();
            return res;
        }
        int mask = flagsMask(opcode);
        for (JsonNode t : tests) {
            if (revoked.contains(t.get("hash").asText()) || prefixSkipped(t.get("bytes")) || exceptionSkipped(opcode, t)) {
                res.skipped++;
                continue;
            }
            String why = runTest(t, mask);
            if (why == null) {
                res.passed++;
            } else {
                res.failed++;
                if (res.firstFailure == null) {
                    res.firstFailure = t.get("name").asText() + " #" + t.get("idx").asInt() + ": " + why;
                }
            }
        }
        return res;
    }

    /** Runs one test; returns null when it passes, else what differed. */
    public String runTest(JsonNode t, int flagsMask) {
        JsonNode init = t.get("initial");
        JsonNode fin = t.get("final");
        Map<ConformanceCpu.Reg, Integer> initial = new HashMap<>();
        for (ConformanceCpu.Reg reg : REGS) {
            int v = init.get("regs").get(reg.name().toLowerCase()).asInt();
            if (reg == ConformanceCpu.Reg.FLAGS) {
                v &= 0x0FFF;
            }
            initial.put(reg, v);
            cpu.setReg(reg, v);
        }
        for (JsonNode b : init.get("ram")) {
            cpu.writeByte(b.get(0).asInt(), b.get(1).asInt());
        }
        boolean halted = cpu.runUntilHalt(1000);
        StringBuilder diff = new StringBuilder();
        if (!halted) {
            diff.append("did not halt; ");
        }
        JsonNode fregs = fin.get("regs");
        for (ConformanceCpu.Reg reg : REGS) {
            JsonNode e = fregs.get(reg.name().toLowerCase());
            int expected = e != null ? e.asInt() : initial.get(reg);
            int actual = cpu.getReg(reg);
            int m = reg == ConformanceCpu.Reg.FLAGS ? flagsMask : 0xFFFF;
            if ((expected & m) != (actual & m)) {
                diff.append(String.format("%s=%04X want %04X; ", reg, actual, expected));
            }
        }
        // flag_address is rounded down to even when SP is odd: the FLAGS word really sits at SS:SP-2
        int flagAddr = t.has("exception")
                ? (initial.get(ConformanceCpu.Reg.SS) << 4) + ((initial.get(ConformanceCpu.Reg.SP) - 2) & 0xFFFF) : -1;
        for (JsonNode b : fin.get("ram")) {
            int addr = b.get(0).asInt();
            int expected = b.get(1).asInt();
            int actual = cpu.readByte(addr);
            int m = 0xFF;
            if (addr == flagAddr) {
                m = flagsMask & 0xFF;
            } else if (addr == flagAddr + 1) {
                m = (flagsMask >>> 8) & 0xFF;
            }
            if ((expected & m) != (actual & m)) {
                diff.append(String.format("[%06X]=%02X want %02X; ", addr, actual, expected));
            }
        }
        // leave memory clean for the next test
        for (JsonNode b : init.get("ram")) {
            cpu.writeByte(b.get(0).asInt(), 0);
        }
        for (JsonNode b : fin.get("ram")) {
            cpu.writeByte(b.get(0).asInt(), 0);
        }
        return diff.length() == 0 ? null : diff.toString();
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/cpu-tests/80286-real");
        VectorHarness h = new VectorHarness(dir);
        Set<String> only = new HashSet<>();
        for (int k = 1; k < args.length; k++) {
            only.add(args[k].toUpperCase());
        }
        long start = System.nanoTime();
        long pass = 0, fail = 0, skip = 0;
        TreeMap<String, FileResult> all = new TreeMap<>();
        for (Path f : h.files()) {
            String name = f.getFileName().toString().replace(".json.gz", "");
            if (!only.isEmpty() && !only.contains(name)) {
                continue;
            }
            FileResult r = h.runFile(f);
            all.put(name, r);
            pass += r.passed;
            fail += r.failed;
            skip += r.skipped;
        }
        for (Iterator<FileResult> it = all.values().iterator(); it.hasNext(); ) {
            FileResult r = it.next();
            int total = r.passed + r.failed;
            if (r.failed > 0 || only.size() > 0) {
                System.out.printf("%-6s %6.2f%% (%d/%d, %d skipped) %s%n", r.name, total == 0 ? 100.0 : 100.0 * r.passed / total,
                        r.passed, total, r.skipped, r.firstFailure == null ? "" : r.firstFailure);
            }
        }
        System.out.printf("TOTAL %.3f%% passed (%d passed, %d failed, %d skipped) in %.1f s%n",
                100.0 * pass / Math.max(1, pass + fail), pass, fail, skip, (System.nanoTime() - start) / 1e9);
    }
}
