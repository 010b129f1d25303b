package dev.strata.vm.control;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;

/**
 * The messages of Strata's control protocol (after QEMU's QMP), one JSON object per line each way: the greeting, a
 * reply ({@code return} or {@code error}, with the request's {@code id}) and an event.
 */
public final class ControlProtocol {
    /** The protocol's version: a client checks it in the greeting. */
    public static final int VERSION = 1;
    /** The longest line either side accepts, in bytes without the line end. */
    public static final int MAX_LINE = 64 * 1024;
    /**
     * The longest reply a client accepts: a screenshot's PNG in base64 at the largest VBE mode (2560x1600, whose
     * PNG of a picture that does not compress is about 12 MiB) fits with room to spare.
     */
    public static final int MAX_REPLY = 32 * 1024 * 1024;
    /** What this server offers beyond requests and replies. */
    public static final List<String> CAPABILITIES = List.of("events");

    static final ObjectMapper JSON = JsonMapper.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION) // an error reply never echoes a client's bytes
            .disable(JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .build();

    private ControlProtocol() {
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** {@code {"strata": {"version": {...}, "capabilities": [...]}}}, sent once on connect. */
    public static String greeting() {
        ObjectNode g = object();
        ObjectNode body = g.putObject("strata");
        ObjectNode version = body.putObject("version");
        version.put("protocol", VERSION);
        String impl = ControlProtocol.class.getPackage().getImplementationVersion();
        version.put("strata", impl == null ? "0.1.0-dev" : impl);
        CAPABILITIES.forEach(body.putArray("capabilities")::add);
        return line(g);
    }

    /** {@code {"return": value, "id": id}}; no id when the request had none. */
    public static String reply(ObjectNode value, JsonNode id) {
        ObjectNode r = object();
        r.set("return", value == null ? object() : value);
        return withId(r, id);
    }

    /** {@code {"error": {"class": ..., "desc": ...}, "id": id}}. */
    public static String error(ControlError e, JsonNode id) {
        ObjectNode r = object();
        ObjectNode err = r.putObject("error");
        err.put("class", e.errorClass());
        err.put("desc", e.getMessage());
        return withId(r, id);
    }

    /** {@code {"event": name, "data": {...}, "timestamp": {"seconds": s, "microseconds": us}}}. */
    public static String event(VmEvent event) {
        ObjectNode r = object();
        r.put("event", event.name());
        r.set("data", event.data());
        ObjectNode t = r.putObject("timestamp");
        Instant at = event.at();
        t.put("seconds", at.getEpochSecond());
        t.put("microseconds", at.getNano() / 1000);
        return line(r);
    }

    private static String withId(ObjectNode r, JsonNode id) {
        if (id != null && !id.isMissingNode()) {
            r.set("id", id);
        }
        return line(r);
    }

    private static String line(ObjectNode n) {
        try {
            return JSON.writeValueAsString(n); // one line: the default printer never breaks lines
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always writes", e);
        }
    }

    /** Parses one received line into a JSON tree; never throws on garbage, returns null instead. */
    static JsonNode parseOrNull(String line) {
        try (JsonParser p = JSON.createParser(line)) {
            JsonNode n = JSON.readTree(p);
            return p.nextToken() == null ? n : null; // a second value on the line is not one message
        } catch (java.io.IOException e) {
            return null;
        }
    }
}
