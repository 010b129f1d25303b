package dev.strata.vm.control;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The commands of the control protocol, each checking its arguments and calling the {@link ControlTarget}. */
public final class ControlCommands {
    /** One command's work: the reply's {@code return} object. */
    private interface Handler {
        ObjectNode run(ControlTarget target, ControlArguments args) throws Exception;
    }

    private record Command(Set<String> arguments, Handler handler) {
    }

    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        add("query-status", Set.of(), (t, a) -> object().put("state", t.state()));
        add("query-commands", Set.of(), (t, a) -> {
            ObjectNode r = object();
            COMMANDS.keySet().forEach(r.putArray("commands")::add);
            return r;
        });
        add("pause", Set.of(), (t, a) -> {
            t.pause();
            return object();
        });
        add("resume", Set.of(), (t, a) -> {
            t.resume();
            return object();
        });
        add("reset", Set.of(), (t, a) -> {
            t.reset();
            return object();
        });
        add("poweroff", Set.of(), (t, a) -> {
            t.powerOff();
            return object();
        });
        add("savestate", Set.of(), (t, a) -> {
            Path file = t.saveState();
            return object().put("file", file.toString());
        });
        add("snapshot-live", Set.of("name", "description"), (t, a) -> {
            String name = a.string("name");
            String uuid = t.snapshotLive(name.strip(), a.optionalString("description"));
            return object().put("name", name.strip()).put("uuid", uuid);
        });
        add("type", Set.of("text"), (t, a) -> {
            t.type(a.string("text"));
            return object();
        });
        add("screenshot", Set.of("format"), (t, a) -> {
            ObjectNode r = object();
            String format = a.optionalString("format");
            if (format == null || format.equals("text")) {
                t.screen().forEach(r.putArray("lines")::add);
            } else if (format.equals("png")) {
                r.put("png", java.util.Base64.getEncoder().encodeToString(t.screenshotPng()));
            } else {
                throw new ControlError(ControlError.INVALID_PARAMETER, "screenshot format '" + format
                        + "' is not one Strata writes: use text or png");
            }
            return r;
        });
        add("info", Set.of("what", "address", "length"), (t, a) -> {
            String address = a.optionalString("address");
            String length = a.optionalString("length");
            if ((address == null) != (length == null)) {
                throw new IllegalArgumentException("info takes address and length together");
            }
            ObjectNode r = object();
            t.info(a.string("what"), address == null ? List.of() : List.of(address, length))
                    .forEach(r.putArray("lines")::add);
            return r;
        });
    }

    private ControlCommands() {
    }

    private static void add(String name, Set<String> arguments, Handler handler) {
        COMMANDS.put(name, new Command(arguments, handler));
    }

    private static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** The command names, in the order the protocol documents them. */
    public static List<String> names() {
        return List.copyOf(COMMANDS.keySet());
    }

    /** Runs {@code request} on {@code target}; returns the reply's {@code return} or throws its error. */
    static ObjectNode run(ControlTarget target, ControlRequest request) throws ControlError {
        Command c = COMMANDS.get(request.execute());
        if (c == null) {
            throw new ControlError(ControlError.COMMAND_NOT_FOUND, "unknown command '" + ControlRequest.clip(
                    request.execute()) + "'; the commands are " + String.join(", ", COMMANDS.keySet()));
        }
        request.arguments().allowOnly(c.arguments());
        try {
            return c.handler().run(target, request.arguments());
        } catch (ControlError e) {
            throw e;
        } catch (IllegalStateException e) {
            throw new ControlError(ControlError.INVALID_STATE, e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ControlError(ControlError.INVALID_PARAMETER, e.getMessage());
        } catch (java.util.concurrent.ExecutionException e) {
            throw new ControlError(ControlError.GENERIC, String.valueOf(e.getCause().getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlError(ControlError.GENERIC, request.execute() + " was interrupted");
        } catch (Exception e) {
            throw new ControlError(ControlError.GENERIC, e.getMessage() != null ? e.getMessage()
                    : request.execute() + " failed: " + e);
        }
    }
}
