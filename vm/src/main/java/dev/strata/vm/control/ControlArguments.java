package dev.strata.vm.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;

/** A request's arguments, read with their types checked: a wrong or missing one is an {@code InvalidParameter}. */
public final class ControlArguments {
    private final String command;
    private final ObjectNode args;

    ControlArguments(String command, ObjectNode args) {
        this.command = command;
        this.args = args;
    }

    /** Refuses arguments other than {@code allowed}: a typo must not be silently ignored. */
    void allowOnly(Set<String> allowed) throws ControlError {
        for (Iterator<String> it = args.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!allowed.contains(key)) {
                throw new ControlError(ControlError.INVALID_PARAMETER, command + " has no argument '"
                        + ControlRequest.clip(key) + "'" + (allowed.isEmpty() ? "; it takes none"
                        : "; it takes " + String.join(", ", allowed.stream().sorted().toList())));
            }
        }
    }

    /** The string argument {@code name}; refused when missing, not a string, or blank. */
    public String string(String name) throws ControlError {
        String s = optionalString(name);
        if (s == null || s.isBlank()) {
            throw new ControlError(ControlError.INVALID_PARAMETER, command + " needs argument '" + name
                    + "' (a non-empty string)");
        }
        return s;
    }

    /** The string argument {@code name}, or null when absent or null; refused when of another type. */
    public String optionalString(String name) throws ControlError {
        JsonNode n = args.get(name);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual()) {
            throw new ControlError(ControlError.INVALID_PARAMETER, command + ": argument '" + name
                    + "' must be a string, got " + ControlRequest.kind(n));
        }
        return n.asText();
    }
}
