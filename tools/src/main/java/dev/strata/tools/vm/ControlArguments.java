package dev.strata.tools.vm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.strata.emulator.machine.TextEscapes;
import java.util.List;

/**
 * The arguments of a control command as {@code strata vm control} takes them on its command line, turned into the
 * protocol's {@code arguments} object: {@code type TEXT} (with escapes), {@code snapshot-live NAME [DESCRIPTION]},
 * {@code info TOPIC [ADDRESS LENGTH]},
 * and {@code KEY=VALUE} for the rest. {@code screenshot FILE} names a file the client writes, not an argument; a FILE
 * ending in .png asks for the picture ({@code format=png}) instead of the text.
 */
final class ControlArguments {
    private ControlArguments() {
    }

    /** The arguments object for {@code command}; a mistake is an {@link IllegalArgumentException} for the usage. */
    static ObjectNode of(String command, List<String> args) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        switch (command) {
            case "type" -> {
                if (args.isEmpty()) {
                    throw new IllegalArgumentException("type needs the TEXT to type");
                }
                o.put("text", TextEscapes.unescape(String.join(" ", args)));
            }
            case "snapshot-live" -> {
                if (args.isEmpty()) {
                    throw new IllegalArgumentException("snapshot-live needs a snapshot NAME");
                }
                o.put("name", args.get(0));
                if (args.size() > 1) {
                    o.put("description", String.join(" ", args.subList(1, args.size())));
                }
            }
            case "info" -> {
                if (args.isEmpty() || (args.size() != 1 && args.size() != 3)) {
                    throw new IllegalArgumentException("info takes a TOPIC (cpu, pic, pit, rtc, ide, ahci, pci,"
                            + " tlb, blocks, bios-calls) or mem ADDRESS LENGTH");
                }
                o.put("what", args.get(0));
                if (args.size() == 3) {
                    o.put("address", args.get(1));
                    o.put("length", args.get(2));
                }
            }
            case "screenshot" -> {
                if (args.size() > 1) {
                    throw new IllegalArgumentException("screenshot takes at most one FILE");
                }
                if (!args.isEmpty() && isPng(args.get(0))) {
                    o.put("format", "png");
                }
            }
            default -> {
                for (String a : args) {
                    int eq = a.indexOf('=');
                    if (eq <= 0) {
                        throw new IllegalArgumentException("'" + a + "': arguments of " + command + " are KEY=VALUE");
                    }
                    o.put(a.substring(0, eq), a.substring(eq + 1));
                }
            }
        }
        return o;
    }

    /** True when a screenshot FILE is to be a PNG picture rather than the text screen. */
    static boolean isPng(String file) {
        return file.toLowerCase(java.util.Locale.ROOT).endsWith(".png");
    }
}
