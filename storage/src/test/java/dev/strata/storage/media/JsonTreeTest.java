package dev.strata.storage.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The registry's JSON reader: nested values in file order, and the lenient field conversions. */
class JsonTreeTest {

    private static Object parse(String json) throws IOException {
        try (JsonParser p = JsonTree.FACTORY.createParser(json)) {
            p.nextToken();
            return JsonTree.read(p);
        }
    }

    @Test
    void readsNestedObjectsAndListsInFileOrder() throws IOException {
        Object v = parse("{\"b\": [1, \"x\", true, null, {\"c\": 2.5}], \"a\": {}}");
        Map<?, ?> root = (Map<?, ?>) v;
        assertEquals(List.of("b", "a"), List.copyOf(root.keySet()));
        List<?> b = (List<?>) root.get("b");
        assertEquals(5, b.size());
        assertEquals(1L, JsonTree.asLong(b.get(0), -1));
        assertEquals("x", b.get(1));
        assertEquals(Boolean.TRUE, b.get(2));
        assertNull(b.get(3));
        assertTrue(root.containsKey("a"));
        assertEquals(2.5, ((Number) ((Map<?, ?>) b.get(4)).get("c")).doubleValue());
    }

    @Test
    void numbersAndBooleansConvertLenientlyWithADefault() {
        assertEquals(123, JsonTree.asLong("123", -1));
        assertEquals(-1, JsonTree.asLong("twelve", -1));
        assertEquals(-1, JsonTree.asLong(null, -1));
        assertEquals(7, JsonTree.asLong(7, -1));
        assertTrue(JsonTree.asBoolean(null, true));
        assertFalse(JsonTree.asBoolean("false", true));
        assertTrue(JsonTree.asBoolean("true", false));
        assertFalse(JsonTree.asBoolean(0, true));
        assertEquals("42", JsonTree.asText(42));
        assertEquals("", JsonTree.asText(List.of()));
    }
}
