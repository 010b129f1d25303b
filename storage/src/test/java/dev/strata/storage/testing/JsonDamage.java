package dev.strata.storage.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Damages a JSON settings file the ways hand edits and broken disks do, for tests of Strata's readers: a value
 * replaced by one of another type or out of range, a field or element removed, the text cut short, bytes
 * overwritten.
 */
public final class JsonDamage {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private JsonDamage() {
    }

    /** {@code good} (a JSON document) with one random piece of damage. */
    public static byte[] damaged(byte[] good, Random r) throws IOException {
        if (r.nextInt(5) == 0) { // the text itself: cut short or overwritten
            if (r.nextBoolean()) {
                return Arrays.copyOf(good, r.nextInt(good.length));
            }
            byte[] b = good.clone();
            for (int k = 1 + r.nextInt(4); k > 0; k--) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            return b;
        }
        JsonNode tree = JSON.readTree(good);
        List<Object[]> places = new ArrayList<>();
        places(tree, places);
        Object[] p = places.get(r.nextInt(places.size()));
        boolean remove = r.nextInt(4) == 0;
        if (p[0] instanceof ObjectNode o) {
            if (remove) {
                o.remove((String) p[1]);
            } else {
                o.set((String) p[1], randomValue(r));
            }
        } else {
            ArrayNode a = (ArrayNode) p[0];
            if (remove) {
                a.remove((int) p[1]);
            } else {
                a.set((int) p[1], randomValue(r));
            }
        }
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree);
    }

    private static JsonNode randomValue(Random r) {
        switch (r.nextInt(12)) {
            case 0: return NODES.nullNode();
            case 1: return NODES.numberNode(-1);
            case 2: return NODES.numberNode(Long.MAX_VALUE);
            case 3: return NODES.numberNode(1e300);
            case 4: return NODES.textNode("");
            case 5: return NODES.textNode("not-a-uuid");
            case 6: return NODES.textNode("x".repeat(r.nextInt(5000)));
            case 7: return NODES.booleanNode(r.nextBoolean());
            case 8: return NODES.arrayNode().add(NODES.objectNode());
            case 9: return NODES.objectNode().put("x", 1);
            case 10: return NODES.numberNode(r.nextInt());
            default: return NODES.textNode(UUID.randomUUID().toString());
        }
    }

    /** Every field and element in the tree with its container and key or index. */
    private static void places(JsonNode node, List<Object[]> out) {
        if (node instanceof ObjectNode o) {
            for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                out.add(new Object[] {o, name});
                places(o.get(name), out);
            }
        } else if (node instanceof ArrayNode a) {
            for (int k = 0; k < a.size(); k++) {
                out.add(new Object[] {a, k});
                places(a.get(k), out);
            }
        }
    }
}
