package dev.strata.vm.scenario;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The line each place of a YAML document starts on, by the names the parser's errors use ({@code steps[2].wait.timeout}),
 * so a mistake is reported with a line to go to as well as the place.
 */
final class YamlPlaces {

    private final Map<String, Integer> lines;

    private YamlPlaces(Map<String, Integer> lines) {
        this.lines = lines;
    }

    /** The places of {@code yaml}; none when it does not parse (the parser reports that with its own line). */
    static YamlPlaces of(String yaml) {
        Map<String, Integer> lines = new HashMap<>();
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                JsonStreamContext c = p.getParsingContext();
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    c = c.getParent();
                }
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY || c == null) {
                    continue;
                }
                lines.putIfAbsent(place(c), p.currentTokenLocation().getLineNr());
            }
        } catch (IOException e) {
            // what parsed so far still names lines
        }
        return new YamlPlaces(lines);
    }

    /**
     * The line of {@code place}, or of the nearest enclosing place the document has (a missing key is reported at
     * its mapping); -1 when none is known.
     */
    int line(String place) {
        String p = place;
        while (!p.isEmpty()) {
            Integer l = lines.get(p);
            if (l != null) {
                return l;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
        return -1;
    }

    private static String place(JsonStreamContext c) {
        if (c == null || c.inRoot()) {
            return "";
        }
        String parent = place(c.getParent());
        if (c.inArray()) {
            return parent + "[" + Math.max(0, c.getCurrentIndex()) + "]";
        }
        String name = c.getCurrentName() == null ? "" : c.getCurrentName();
        return parent.isEmpty() ? name : parent + "." + name;
    }
}
