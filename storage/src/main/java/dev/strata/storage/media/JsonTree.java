package dev.strata.storage.media;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON value read with Jackson's streaming parser into plain Java values (maps, lists, strings, numbers,
 * booleans, null), with lenient conversions as the registry's fields have always been read: a small file read on
 * every start does not need the object mapper.
 */
final class JsonTree {
    static final JsonFactory FACTORY = new JsonFactory();

    private JsonTree() {
    }

    /** The value that starts at the parser's current token (an object or list whole). */
    static Object read(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    map.put(name, read(p));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(read(p));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return p.getNumberValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            default:
                return null; // VALUE_NULL
        }
    }

    /** A number, or a string holding one; {@code otherwise} for anything else. */
    static long asLong(Object v, long otherwise) {
        if (v instanceof Number) {
            return ((Number) v).longValue();
        }
        if (v instanceof String) {
            try {
                return Long.parseLong(((String) v).trim());
            } catch (NumberFormatException e) {
                return otherwise;
            }
        }
        return otherwise;
    }

    /** A boolean, the strings true and false, or a number (non-zero is true); {@code otherwise} for anything else. */
    static boolean asBoolean(Object v, boolean otherwise) {
        if (v instanceof Boolean) {
            return (Boolean) v;
        }
        if (v instanceof Number) {
            return ((Number) v).longValue() != 0;
        }
        if (v instanceof String) {
            String s = ((String) v).trim();
            return s.equals("true") || (!s.equals("false") && otherwise);
        }
        return otherwise;
    }

    /** A scalar as text (a number as its digits); an object or list as an empty string. */
    static String asText(Object v) {
        return v instanceof Map || v instanceof List || v == null ? "" : String.valueOf(v);
    }
}
