package dev.strata.vm.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** A reply as the client received it: the raw line, and either its {@code return} object or its error. */
public record ControlReply(String line, ObjectNode value, String errorClass, String errorDesc) {
    /** True for a {@code return}. */
    public boolean ok() {
        return errorClass == null;
    }

    /** Reads a reply line; null when the line is not a reply (an event, or something else). */
    public static ControlReply of(String line) {
        JsonNode n = ControlProtocol.parseOrNull(line);
        if (n == null || !n.isObject()) {
            return null;
        }
        JsonNode r = n.get("return");
        if (r != null) {
            return new ControlReply(line, r.isObject() ? (ObjectNode) r : JsonNodeFactory.instance.objectNode(), null,
                    null);
        }
        JsonNode e = n.get("error");
        if (e != null) {
            return new ControlReply(line, null, e.path("class").asText("GenericError"), e.path("desc").asText(""));
        }
        return null;
    }
}
