package dev.strata.vm.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;

/** One request line checked for shape: {@code {"execute": NAME, "arguments": {...}, "id": ANY}}. */
public record ControlRequest(String execute, ControlArguments arguments, JsonNode id) {
    private static final Set<String> KEYS = Set.of("execute", "arguments", "id");

    /**
     * Parses {@code line}. The error carries the request's id when one could be read, so a client can still match
     * the error to what it sent.
     */
    static ControlRequest parse(String line) throws Refused {
        JsonNode n = ControlProtocol.parseOrNull(line);
        if (n == null) {
            throw new Refused(new ControlError(ControlError.INVALID_JSON, "the line is not one JSON value; send one"
                    + " JSON object per line, e.g. {\"execute\": \"query-status\"}"), null);
        }
        if (!n.isObject()) {
            throw new Refused(new ControlError(ControlError.INVALID_REQUEST, "a request is a JSON object, got "
                    + kind(n) + "; e.g. {\"execute\": \"query-status\"}"), null);
        }
        JsonNode id = n.get("id");
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new Refused(new ControlError(ControlError.INVALID_REQUEST, "unknown key '" + clip(key)
                        + "' in the request; a request has execute, arguments and id"), id);
            }
        }
        JsonNode execute = n.get("execute");
        if (execute == null || !execute.isTextual()) {
            throw new Refused(new ControlError(ControlError.INVALID_REQUEST, "'execute' must be a command name"
                    + " (a string), got " + kind(execute)), id);
        }
        JsonNode args = n.get("arguments");
        if (args != null && !args.isObject()) {
            throw new Refused(new ControlError(ControlError.INVALID_REQUEST, "'arguments' must be an object, got "
                    + kind(args)), id);
        }
        ObjectNode a = args == null ? JsonNodeFactory.instance.objectNode() : (ObjectNode) args;
        return new ControlRequest(execute.asText(), new ControlArguments(execute.asText(), a), id);
    }

    /** What kind of JSON value {@code n} is, for error messages. */
    static String kind(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        return switch (n.getNodeType()) {
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            default -> "a " + n.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** A client's text cut short, so an error line stays short. */
    static String clip(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    /** A request refused before it ran, with the id it carried (or null). */
    static final class Refused extends Exception {
        final ControlError error;
        final JsonNode id;

        Refused(ControlError error, JsonNode id) {
            super(error.getMessage());
            this.error = error;
            this.id = id;
        }
    }
}
