package dev.strata.emulator.cpu.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code metadata.json} of a SingleStepTests set: for each opcode (and each {@code reg} of a group opcode) the
 * mask of FLAGS bits the vectors define; the other bits are undefined and not compared.
 */
public final class TestMetadata {
    private final Map<String, Integer> flagsMasks;
    private final Map<String, String> statuses;

    private TestMetadata(Map<String, Integer> flagsMasks, Map<String, String> statuses) {
        this.flagsMasks = flagsMasks;
        this.statuses = statuses;
    }

    /** Reads {@code metadata.json}; a broken file is an IOException naming it. */
    public static TestMetadata load(Path file) throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new IOException(file + ": not readable as JSON metadata: " + e.getMessage(), e);
        }
        JsonNode opcodes = root == null ? null : root.get("opcodes");
        if (opcodes == null || !opcodes.isObject()) {
            throw new IOException(file + ": has no \"opcodes\" object; is this a SingleStepTests metadata.json?");
        }
        Map<String, Integer> masks = new HashMap<>();
        Map<String, String> statuses = new HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = opcodes.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String op = e.getKey().toUpperCase(Locale.ROOT);
            record(op, e.getValue(), masks, statuses);
            JsonNode regs = e.getValue().get("reg");
            if (regs != null) {
                for (Iterator<Map.Entry<String, JsonNode>> r = regs.fields(); r.hasNext(); ) {
                    Map.Entry<String, JsonNode> re = r.next();
                    record(op + "." + re.getKey(), re.getValue(), masks, statuses);
                }
            }
        }
        return new TestMetadata(masks, statuses);
    }

    /** Metadata with no masks at all, for tests and for sets without a metadata file. */
    public static TestMetadata empty() {
        return new TestMetadata(Map.of(), Map.of());
    }

    private static void record(String key, JsonNode node, Map<String, Integer> masks, Map<String, String> statuses) {
        JsonNode mask = node.get("flags-mask");
        if (mask != null && mask.canConvertToInt()) {
            masks.put(key, mask.intValue() & 0xFFFF);
        }
        JsonNode status = node.get("status");
        if (status != null) {
            statuses.put(key, status.asText());
        }
    }

    /**
     * The FLAGS bits to compare for an opcode key such as {@code "08"}, {@code "D1.6"} or {@code "0F01.2"}: the
     * group entry's mask, else the opcode's, else all bits.
     */
    public int flagsMask(String opcodeKey) {
        String key = opcodeKey.toUpperCase(Locale.ROOT);
        Integer m = flagsMasks.get(key);
        if (m == null) {
            int dot = key.indexOf('.');
            if (dot > 0) {
                m = flagsMasks.get(key.substring(0, dot));
            }
        }
        return m == null ? 0xFFFF : m;
    }

    /** The recorded status ("normal", "alias", "undefined", "fpu" ...) of an opcode key, or "" when not listed. */
    public String status(String opcodeKey) {
        String key = opcodeKey.toUpperCase(Locale.ROOT);
        String s = statuses.get(key);
        if (s == null && key.indexOf('.') > 0) {
            s = statuses.get(key.substring(0, key.indexOf('.')));
        }
        return s == null ? "" : s;
    }
}
