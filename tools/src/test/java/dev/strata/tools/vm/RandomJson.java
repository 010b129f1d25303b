package dev.strata.tools.vm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Random;

/**
 * Random JSON for fuzzing the control protocol: values of every type nested a few levels, and requests that are
 * well-formed JSON but never a valid request that changes the VM (a command that would is given arguments that are
 * not an object, and only read-only commands get arbitrary ones).
 */
final class RandomJson {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    /** Every command a VM knows. */
    static final List<String> COMMANDS = List.of("query-status", "query-commands", "pause", "resume", "reset",
            "poweroff", "savestate", "snapshot-live", "type", "screenshot");
    /** The commands that only read: harmless with any arguments. */
    private static final List<String> READ_ONLY = List.of("query-status", "query-commands", "screenshot");

    private RandomJson() {
    }

    /** A request-shaped object, most of them wrong. */
    static ObjectNode request(Random random) {
        ObjectNode o = F.objectNode();
        switch (random.nextInt(4)) {
            case 0 -> o.set("execute", notAString(random, 2));
            case 1 -> {
                o.put("execute", COMMANDS.get(random.nextInt(COMMANDS.size())));
                o.set("arguments", notAnObject(random, 2));
            }
            case 2 -> {
                o.put("execute", READ_ONLY.get(random.nextInt(READ_ONLY.size())));
                o.set("arguments", value(random, 3));
            }
            default -> o.put("execute", READ_ONLY.get(random.nextInt(READ_ONLY.size())));
        }
        if (random.nextBoolean()) {
            o.set("id", value(random, 1));
        }
        if (random.nextInt(4) == 0) {
            o.set(text(random), value(random, 2));
        }
        return o;
    }

    /** Any JSON value, nested at most {@code depth} levels. */
    static JsonNode value(Random random, int depth) {
        return random.nextInt(3) == 0 && depth > 0 ? object(random, depth) : notAnObject(random, depth);
    }

    private static JsonNode notAnObject(Random random, int depth) {
        return random.nextInt(5) == 0 ? F.textNode(text(random)) : notAString(random, depth);
    }

    private static JsonNode notAString(Random random, int depth) {
        return switch (random.nextInt(depth > 0 ? 6 : 5)) {
            case 0 -> F.nullNode();
            case 1 -> F.booleanNode(random.nextBoolean());
            case 2 -> F.numberNode(random.nextLong());
            case 3 -> F.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 4 -> F.numberNode(random.nextInt(3) - 1);
            default -> random.nextBoolean() ? array(random, depth - 1) : object(random, depth - 1);
        };
    }

    private static ArrayNode array(Random random, int depth) {
        ArrayNode a = F.arrayNode();
        for (int i = random.nextInt(4); i > 0; i--) {
            a.add(value(random, depth));
        }
        return a;
    }

    private static ObjectNode object(Random random, int depth) {
        ObjectNode o = F.objectNode();
        for (int i = random.nextInt(4); i > 0; i--) {
            o.set(random.nextInt(3) == 0 ? "text" : text(random), value(random, Math.max(0, depth - 1)));
        }
        return o;
    }

    /** Up to 12 characters from all over Unicode's first plane, control characters and quotes included. */
    static String text(Random random) {
        StringBuilder b = new StringBuilder();
        for (int i = random.nextInt(13); i > 0; i--) {
            char c = (char) (random.nextBoolean() ? random.nextInt(128) : random.nextInt(0xD800));
            b.append(c);
        }
        return b.toString();
    }
}
