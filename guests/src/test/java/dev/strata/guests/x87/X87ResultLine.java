package dev.strata.guests.x87;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of the x87 differential guest's output: "NNNNNN OPNAME c=CW a=... r=... s=SW ...". Fields keep their
 * order; the checksum line and header comments have no operation.
 */
record X87ResultLine(String text, String number, String operation, Map<String, String> fields) {

    static X87ResultLine parse(String text) {
        String[] parts = text.trim().split(" ");
        Map<String, String> fields = new LinkedHashMap<>();
        if (parts.length < 2 || !parts[0].chars().allMatch(Character::isDigit)) {
            return new X87ResultLine(text, "", "", fields);
        }
        for (int i = 2; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq > 0) {
                fields.put(parts[i].substring(0, eq), parts[i].substring(eq + 1));
            }
        }
        return new X87ResultLine(text, parts[0], parts[1], fields);
    }

    boolean isTest() {
        return !operation.isEmpty();
    }

    String field(String name) {
        return fields.getOrDefault(name, "");
    }
}
