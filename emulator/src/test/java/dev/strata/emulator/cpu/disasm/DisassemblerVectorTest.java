package dev.strata.emulator.cpu.disasm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.conformance.SharedVectors;
import dev.strata.emulator.cpu.conformance.TestVector;
import dev.strata.emulator.cpu.conformance.TestVectorReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Checks the disassembler against the 80286 vectors, whose {@code name} is another disassembler's reading of their
 * {@code bytes}: same length on every defined instruction, same mnemonic on at least 99 %.
 */
class DisassemblerVectorTest {
    private static final Pattern MASM_HEX = Pattern.compile("\\b([0-9][0-9a-f]*)h\\b");
    private static final Pattern C_HEX = Pattern.compile("\\b0x([0-9a-f]+)\\b");
    private static final Pattern SIZE = Pattern.compile("\\b(byte|word|dword|qword|tword|ptr|short|notrack) ");

    /** Lower case, sizes and hints dropped, every hex number as decimal, no spaces. */
    static String normalise(String text) {
        String s = SIZE.matcher(text.toLowerCase(Locale.ROOT)).replaceAll("");
        s = replaceHex(MASM_HEX.matcher(s));
        s = replaceHex(C_HEX.matcher(s));
        return s.replace(" ", "");
    }

    private static String replaceHex(Matcher m) {
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Long.toString(Long.parseLong(m.group(1), 16)));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static String mnemonic(String text) {
        for (String w : text.toLowerCase(Locale.ROOT).split(" ")) {
            if (!List.of("lock", "rep", "repe", "repne", "cs", "ds", "es", "ss", "fs", "gs", "notrack").contains(w)) {
                return w;
            }
        }
        return "";
    }

    @Test
    void agreesWithTheVectorsNames() throws IOException {
        Optional<Path> dir = SharedVectors.find();
        Assumptions.assumeTrue(dir.isPresent(), "80286 vectors not available");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir.get())) {
            files = s.filter(p -> p.toString().endsWith(".json.gz")).sorted().toList();
        }
        int total = 0;
        int lengthChecked = 0;
        int lengthOk = 0;
        int mnemonicOk = 0;
        int textOk = 0;
        List<String> lengthMisses = new ArrayList<>();
        List<String> mnemonicMisses = new ArrayList<>();
        List<String> textMisses = new ArrayList<>();
        for (Path f : files) {
            try (TestVectorReader r = new TestVectorReader(f)) {
                for (TestVector t = r.next(); t != null; t = r.next()) {
                    total++;
                    byte[] insn = Arrays.copyOf(t.bytes(), t.bytes().length - 1); // drop the closing HLT
                    Instruction d = Disassembler.disassemble(insn, 0, false, 0);
                    String theirs = t.name();
                    boolean undefined = theirs.equals("(bad)") || theirs.startsWith("v")
                            || mnemonic(theirs).startsWith("v");
                    String line = hexBytes(insn) + " | " + theirs + " | " + d.text() + " (" + d.length() + ")";
                    if (!undefined) {
                        lengthChecked++;
                        if (d.length() == insn.length) {
                            lengthOk++;
                        } else if (lengthMisses.size() < 10) {
                            lengthMisses.add(line);
                        }
                    }
                    if (mnemonic(theirs).equals(mnemonic(d.text()))) {
                        mnemonicOk++;
                    } else if (mnemonicMisses.size() < 10) {
                        mnemonicMisses.add(line);
                    }
                    if (normalise(theirs).equals(normalise(d.text()))) {
                        textOk++;
                    } else if (textMisses.size() < 10 && textMisses.stream().filter(
                            l -> l.startsWith(f.getFileName().toString())).count() < 2) {
                        textMisses.add(f.getFileName() + ": " + line);
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "disassembler vs vectors: %d tests; length %d/%d (%.3f %%) on defined "
                + "instructions; mnemonic %.3f %%; full text %.3f %%%n", total, lengthOk, lengthChecked,
                100.0 * lengthOk / lengthChecked, 100.0 * mnemonicOk / total, 100.0 * textOk / total);
        lengthMisses.forEach(l -> System.out.println("  length: " + l));
        mnemonicMisses.forEach(l -> System.out.println("  mnemonic: " + l));
        textMisses.forEach(l -> System.out.println("  text: " + l));
        assertTrue(lengthOk == lengthChecked, "lengths differ, see output");
        assertTrue(mnemonicOk >= 0.99 * total, "mnemonic agreement below 99 %, see output");
    }

    private static String hexBytes(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02X ", x & 0xFF));
        }
        return sb.toString().strip();
    }
}
