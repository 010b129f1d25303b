package dev.strata.vm.scenario;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.strata.emulator.device.keyboard.Key;
import dev.strata.emulator.device.keyboard.KeyNames;
import dev.strata.emulator.display.FrameDiff;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads scenario files (YAML). Every mistake is refused with the file, the place ({@code steps[2].wait.timeout})
 * and what is allowed there, before anything runs. Image paths are relative to the scenario file's folder.
 */
public final class ScenarioParser {

    /** The step names, in the order the help and errors list them. */
    static final List<String> STEPS = List.of("wait", "type", "keys", "screen-contains", "serial-contains", "sleep",
            "save-state", "file-contains", "host", "expect-exit", "power-off", "screen-matches", "power-cycle", "reset",
            "restore-state", "snapshot", "restore-snapshot");
    /** Steps written as a bare word. */
    private static final List<String> BARE = List.of("power-off", "power-cycle", "reset");
    private static final Set<String> TOP = Set.of("name", "machine", "timeout", "steps");
    private static final Set<String> MACHINE = Set.of("fda", "fdb", "hda", "hdb", "hdc", "hdd", "cdrom", "memory",
            "boot", "vm", "persist");
    private static final Set<String> SCREEN = Set.of("png", "tolerance", "max-differing-pixels", "mask", "timeout");
    /** How long a step that waits may run when neither it nor the scenario says: one minute of virtual time. */
    static final long DEFAULT_TIMEOUT_SECONDS = 60;
    private static final long MAX_SECONDS = 24 * 3600;

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private final Path file;
    private final YamlPlaces places;

    private ScenarioParser(Path file, YamlPlaces places) {
        this.file = file;
        this.places = places;
    }

    /** Reads the scenario in {@code file}. */
    public static Scenario read(Path file) throws IOException {
        JsonNode root;
        String text;
        try {
            text = Files.readString(file);
            root = YAML.readTree(text);
        } catch (NoSuchFileException e) {
            throw new ScenarioException(file, "", "no such scenario file; check the path");
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : "line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new ScenarioException(file, where, "not valid YAML (" + e.getOriginalMessage() + ")");
        } catch (java.nio.charset.MalformedInputException e) {
            throw new ScenarioException(file, "", "not a text file in UTF-8; a scenario is YAML text");
        }
        return new ScenarioParser(file, YamlPlaces.of(text)).scenario(root);
    }

    private Scenario scenario(JsonNode root) throws ScenarioException {
        if (root == null || !root.isObject()) {
            throw error("", "a scenario is a mapping with machine: and steps:, e.g.\n"
                    + "  machine: {fda: freedos.img}\n  steps:\n    - wait: 'A:\\>'");
        }
        onlyKeys(root, "", TOP);
        String fileName = file.getFileName().toString();
        String name = root.has("name") ? text(root.get("name"), "name")
                : fileName.replaceFirst("\\.ya?ml$", "");
        long timeout = root.has("timeout") ? seconds(root.get("timeout"), "timeout") : DEFAULT_TIMEOUT_SECONDS
                * 1_000_000_000L;
        JsonNode machine = root.get("machine");
        if (machine == null) {
            throw error("machine", "missing: say what to boot, e.g. machine: {fda: freedos.img}");
        }
        JsonNode steps = root.get("steps");
        if (steps == null || !steps.isArray() || steps.isEmpty()) {
            throw error("steps", "missing or empty: list what to do, e.g. steps: [{wait: 'A:\\>'}]");
        }
        List<Step> list = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            list.add(step(steps.get(i), "steps[" + i + "]", timeout));
        }
        MachineSource source = machine(machine);
        checkRestores(list, source);
        return new Scenario(name, file, source, list);
    }

    /**
     * A run restores only what it can bring back: states it saved itself (with its disks), snapshots it took itself
     * or, on a VM, the VM's own snapshots (checked when the run reaches them). A persisting run writes the VM's disks
     * in place, so a state file cannot take them back: its snapshots can.
     */
    private void checkRestores(List<Step> list, MachineSource source) throws ScenarioException {
        boolean persists = source instanceof VmSpec vm && vm.persist();
        Set<Path> saved = new java.util.HashSet<>();
        Set<String> taken = new java.util.HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String where = "steps[" + i + "]";
            Step step = list.get(i);
            if (step instanceof Step.SaveState s) {
                saved.add(s.file());
            } else if (step instanceof Step.Snapshot s) {
                taken.add(s.name());
            } else if (step instanceof Step.RestoreState r && persists) {
                throw error(where + ".restore-state", "this run writes the disks of VM '" + ((VmSpec) source).name()
                        + "' in place, and a state file cannot take them back: take a snapshot (snapshot: NAME) and"
                        + " restore-snapshot it instead");
            } else if (step instanceof Step.RestoreState r && !saved.contains(r.file())) {
                throw error(where + ".restore-state", "no save-state: " + r.file() + " comes before it; a"
                        + " run restores only states it saved itself (its disks are kept with them)");
            } else if (step instanceof Step.RestoreSnapshot r && source instanceof MachineSpec
                    && !taken.contains(r.name())) {
                throw error(where + ".restore-snapshot", "no snapshot: " + r.name() + " comes before it; a run on"
                        + " images restores only snapshots it took itself");
            }
        }
    }

    private MachineSource machine(JsonNode m) throws ScenarioException {
        if (!m.isObject()) {
            throw error("machine", "a mapping of drives, memory and boot order, e.g. {fda: freedos.img, memory: 32},"
                    + " or a registered VM, e.g. {vm: dos}");
        }
        onlyKeys(m, "machine", MACHINE);
        if (m.has("vm")) {
            for (String k : MACHINE) {
                if (m.has(k) && !k.equals("vm") && !k.equals("persist")) {
                    throw error("machine." + k, "a VM brings its own drives, memory and boot order: change them with"
                            + " strata vm, or boot images instead of the VM");
                }
            }
            String vm = nonEmpty(m.get("vm"), "machine.vm");
            boolean persist = false;
            if (m.has("persist")) {
                if (!m.get("persist").isBoolean()) {
                    throw error("machine.persist", "'" + m.get("persist").asText() + "' is not true or false");
                }
                persist = m.get("persist").asBoolean();
            }
            return new VmSpec(vm, persist);
        }
        if (m.has("persist")) {
            throw error("machine.persist", "only a VM's run persists (machine: {vm: NAME, persist: true}); a run on"
                    + " images never writes them");
        }
        Path[] floppies = {image(m, "fda"), image(m, "fdb")};
        Path[] disks = {image(m, "hda"), image(m, "hdb"), image(m, "hdc"), image(m, "hdd")};
        Path cdrom = image(m, "cdrom");
        if (cdrom != null && disks[2] != null) {
            throw error("machine.cdrom", "the CD takes the secondary master, where hdc would go: give that disk as hdd");
        }
        if (floppies[0] == null && floppies[1] == null && cdrom == null
                && java.util.Arrays.stream(disks).allMatch(d -> d == null)) {
            throw error("machine", "no drive to boot from: give fda, hda or cdrom");
        }
        int memory = 32;
        if (m.has("memory")) {
            JsonNode n = m.get("memory");
            if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1 || n.asInt() > 3072) {
                throw error("machine.memory", "'" + n.asText() + "' is not a size in MiB from 1 to 3072");
            }
            memory = n.asInt();
        }
        String boot = m.has("boot") ? text(m.get("boot"), "machine.boot")
                : MachineSpec.defaultBootOrder(floppies, disks, cdrom);
        if (!boot.matches("[acd]{1,3}")) {
            throw error("machine.boot", "'" + boot + "' is not a boot order: letters a, c and d, e.g. 'dc'");
        }
        return new MachineSpec(floppies, disks, cdrom, memory, boot);
    }

    private Path image(JsonNode m, String key) throws ScenarioException {
        if (!m.has(key) || m.get(key).isNull()) {
            return null;
        }
        String where = "machine." + key;
        Path p = file.toAbsolutePath().getParent().resolve(text(m.get(key), where)).normalize();
        if (!Files.isRegularFile(p)) {
            throw error(where, "no such image file " + p);
        }
        return p;
    }

    private Step step(JsonNode n, String where, long timeout) throws ScenarioException {
        if (n.isTextual()) {
            switch (n.asText()) {
                case "power-off":
                    return new Step.PowerOff();
                case "power-cycle":
                    return new Step.PowerCycle();
                case "reset":
                    return new Step.Reset();
                default:
                    throw unknownStep(where, n.asText());
            }
        }
        if (!n.isObject() || n.size() != 1) {
            throw error(where, "a step is one name with its argument, e.g. '- type: \"dir\\r\"'");
        }
        Map.Entry<String, JsonNode> e = n.fields().next();
        String kind = e.getKey();
        JsonNode arg = e.getValue();
        String at = where + "." + kind;
        return switch (kind) {
            case "wait" -> waitStep(arg, at, timeout);
            case "type" -> new Step.Type(nonEmpty(arg, at));
            case "keys" -> keysStep(arg, at);
            case "screen-contains" -> screenTextStep(arg, at);
            case "serial-contains" -> new Step.SerialContains(nonEmpty(arg, at));
            case "sleep" -> new Step.Sleep(seconds(arg, at));
            case "save-state" -> new Step.SaveState(Path.of(nonEmpty(arg, at)));
            case "file-contains" -> fileStep(arg, at);
            case "host" -> hostStep(arg, at);
            case "expect-exit" -> exitStep(arg, at, timeout);
            case "power-off", "power-cycle", "reset" -> bare(kind, arg, at);
            case "screen-matches" -> screenStep(arg, at, timeout);
            case "restore-state" -> new Step.RestoreState(Path.of(nonEmpty(arg, at)));
            case "snapshot" -> new Step.Snapshot(nonEmpty(arg, at));
            case "restore-snapshot" -> new Step.RestoreSnapshot(nonEmpty(arg, at));
            default -> throw unknownStep(where, kind);
        };
    }

    /** A step that takes no argument, written as a key anyway ({@code - reset:}). */
    private Step bare(String kind, JsonNode arg, String at) throws ScenarioException {
        if (!arg.isNull()) {
            throw error(at, kind + " takes nothing: write '- " + kind + "'");
        }
        return switch (kind) {
            case "power-cycle" -> new Step.PowerCycle();
            case "reset" -> new Step.Reset();
            default -> new Step.PowerOff();
        };
    }

    private Step screenStep(JsonNode arg, String at, long timeout) throws ScenarioException {
        if (!arg.isObject()) {
            return new Step.ScreenMatches(png(arg, at), 0, 0, List.of(), timeout);
        }
        onlyKeys(arg, at, SCREEN);
        if (!arg.has("png")) {
            throw error(at, "name the picture: {png: prompt.png, tolerance: 8, max-differing-pixels: 20,"
                    + " mask: [[0, 0, 80, 16]], timeout: 10}");
        }
        int tolerance = (int) count(arg.get("tolerance"), at + ".tolerance", 255, "a colour difference per channel");
        long most = count(arg.get("max-differing-pixels"), at + ".max-differing-pixels", Integer.MAX_VALUE,
                "a number of pixels");
        List<FrameDiff.Rect> mask = new ArrayList<>();
        JsonNode m = arg.get("mask");
        if (m != null) {
            if (!m.isArray()) {
                throw error(at + ".mask", "a list of rectangles [x, y, width, height], e.g. [[0, 0, 80, 16]]");
            }
            for (int i = 0; i < m.size(); i++) {
                String w = at + ".mask[" + i + "]";
                JsonNode r = m.get(i);
                if (!r.isArray() || r.size() != 4) {
                    throw error(w, "a rectangle is [x, y, width, height] in pixels, e.g. [0, 0, 80, 16]");
                }
                long[] v = new long[4];
                for (int k = 0; k < 4; k++) {
                    v[k] = count(r.get(k), w + "[" + k + "]", 65535, "a pixel position or size");
                }
                if (v[2] == 0 || v[3] == 0) {
                    throw error(w, "a rectangle of width or height 0 leaves out nothing");
                }
                mask.add(new FrameDiff.Rect((int) v[0], (int) v[1], (int) v[2], (int) v[3]));
            }
        }
        long t = arg.has("timeout") ? seconds(arg.get("timeout"), at + ".timeout") : timeout;
        return new Step.ScreenMatches(png(arg.get("png"), at + ".png"), tolerance, most, mask, t);
    }

    /** {@code screen-contains: TEXT} or {@code {text: TEXT, region: [column, row, width, height]}} in cells. */
    private Step screenTextStep(JsonNode arg, String at) throws ScenarioException {
        if (arg == null || !arg.isObject()) {
            return new Step.ScreenContains(nonEmpty(arg, at));
        }
        onlyKeys(arg, at, Set.of("text", "region"));
        if (!arg.has("text")) {
            throw error(at, "missing text: {text: 'A:\\>', region: [0, 24, 80, 1]}");
        }
        String text = nonEmpty(arg.get("text"), at + ".text");
        JsonNode r = arg.get("region");
        if (r == null) {
            return new Step.ScreenContains(text);
        }
        String w = at + ".region";
        if (!r.isArray() || r.size() != 4) {
            throw error(w, "a region is [column, row, width, height] in character cells, e.g. [0, 24, 80, 1]");
        }
        long[] v = new long[4];
        for (int k = 0; k < 4; k++) {
            v[k] = count(r.get(k), w + "[" + k + "]", 255, "a cell position or size");
        }
        if (v[2] == 0 || v[3] == 0) {
            throw error(w, "a region of width or height 0 holds no text");
        }
        return new Step.ScreenContains(text, new Step.TextRegion((int) v[0], (int) v[1], (int) v[2], (int) v[3]));
    }

    /** A PNG's path, relative to the scenario file; it need not exist yet (--update-screens writes it). */
    private Path png(JsonNode n, String where) throws ScenarioException {
        String name = nonEmpty(n, where);
        if (!name.toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
            throw error(where, "'" + name + "' is not a .png file; the expected screen is a PNG picture");
        }
        return file.toAbsolutePath().getParent().resolve(name).normalize();
    }

    /** A whole number from 0 to {@code max} (0 when absent). */
    private long count(JsonNode n, String where, long max, String what) throws ScenarioException {
        if (n == null) {
            return 0;
        }
        if (!n.isIntegralNumber() || n.asLong() < 0 || n.asLong() > max) {
            throw error(where, "'" + n.asText() + "' is not " + what + ": a whole number from 0 to " + max);
        }
        return n.asLong();
    }

    private Step waitStep(JsonNode arg, String at, long timeout) throws ScenarioException {
        if (arg.isObject()) {
            onlyKeys(arg, at, Set.of("text", "timeout"));
            if (!arg.has("text")) {
                throw error(at, "say what to wait for: {text: 'A:\\>', timeout: 30}");
            }
            return new Step.Wait(nonEmpty(arg.get("text"), at + ".text"),
                    arg.has("timeout") ? seconds(arg.get("timeout"), at + ".timeout") : timeout);
        }
        return new Step.Wait(nonEmpty(arg, at), timeout);
    }

    private Step fileStep(JsonNode arg, String at) throws ScenarioException {
        if (!arg.isObject()) {
            throw error(at, "name the disk, the file and the text: {disk: hda, path: 'DOS\\NOTE.TXT', text: hello}");
        }
        onlyKeys(arg, at, Set.of("disk", "path", "text"));
        for (String k : List.of("disk", "path", "text")) {
            if (!arg.has(k)) {
                throw error(at, "missing " + k + ": {disk: hda, path: 'DOS\\NOTE.TXT', text: hello}");
            }
        }
        String disk = text(arg.get("disk"), at + ".disk");
        if (!Step.FileContains.DISKS.contains(disk)) {
            throw error(at + ".disk", "'" + disk + "' is not a disk: " + String.join(", ", Step.FileContains.DISKS));
        }
        return new Step.FileContains(disk, nonEmpty(arg.get("path"), at + ".path"), text(arg.get("text"), at + ".text"));
    }

    private Step hostStep(JsonNode arg, String at) throws ScenarioException {
        Path folder = file.toAbsolutePath().getParent();
        if (arg.isObject()) {
            onlyKeys(arg, at, Set.of("command", "timeout"));
            if (!arg.has("command")) {
                throw error(at, "say what to run: {command: 'grep -q ready serial.log', timeout: 30}");
            }
            long timeout = arg.has("timeout") ? seconds(arg.get("timeout"), at + ".timeout") / 1_000_000 : 60_000;
            return new Step.Host(nonEmpty(arg.get("command"), at + ".command"), folder, timeout);
        }
        return new Step.Host(nonEmpty(arg, at), folder, 60_000);
    }

    private Step exitStep(JsonNode arg, String at, long timeout) throws ScenarioException {
        JsonNode end = arg;
        long t = timeout;
        if (arg.isObject()) {
            onlyKeys(arg, at, Set.of("exit", "timeout"));
            end = arg.get("exit");
            if (end == null) {
                throw error(at, "say which end: {exit: power-off, timeout: 30}");
            }
            if (arg.has("timeout")) {
                t = seconds(arg.get("timeout"), at + ".timeout");
            }
        }
        String word = text(end, at);
        for (Step.Exit x : Step.Exit.values()) {
            if (x.key.equals(word)) {
                return new Step.ExpectExit(x, t);
            }
        }
        throw error(at, "'" + word + "' is not an end of a run: power-off, reset or halt");
    }

    /** {@code keys: ctrl+alt+delete} or {@code keys: [down, down, enter]}: chords, pressed one after another. */
    private Step keysStep(JsonNode arg, String at) throws ScenarioException {
        List<List<Key>> chords = new ArrayList<>();
        if (arg != null && arg.isArray() && arg.size() > 0) {
            for (int i = 0; i < arg.size(); i++) {
                chords.addAll(chords(nonEmpty(arg.get(i), at + "[" + i + "]"), at + "[" + i + "]"));
            }
        } else {
            chords.addAll(chords(nonEmpty(arg, at), at));
        }
        return new Step.Keys(List.copyOf(chords));
    }

    private List<List<Key>> chords(String keys, String at) throws ScenarioException {
        try {
            return KeyNames.chords(keys);
        } catch (IllegalArgumentException e) {
            throw error(at, e.getMessage());
        }
    }

    private ScenarioException unknownStep(String where, String kind) {
        return error(where, "unknown step '" + kind + "'; the steps are " + String.join(", ", STEPS));
    }

    private void onlyKeys(JsonNode n, String where, Set<String> allowed) throws ScenarioException {
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw error(where.isEmpty() ? k : where + "." + k, "unknown key; "
                        + (where.isEmpty() ? "a scenario" : where) + " takes " + String.join(", ",
                        allowed.stream().sorted().toList()));
            }
        }
    }

    private String text(JsonNode n, String where) throws ScenarioException {
        if (n == null || !(n.isTextual() || n.isNumber() || n.isBoolean())) {
            throw error(where, "a text was expected here");
        }
        return n.asText();
    }

    private String nonEmpty(JsonNode n, String where) throws ScenarioException {
        String t = text(n, where);
        if (t.isEmpty()) {
            throw error(where, "must not be empty");
        }
        return t;
    }

    /** A number of seconds (a fraction allowed), as nanoseconds of virtual time. */
    private long seconds(JsonNode n, String where) throws ScenarioException {
        if (n == null || !n.isNumber() || n.asDouble() <= 0 || n.asDouble() > MAX_SECONDS) {
            throw error(where, "'" + (n == null ? "" : n.asText()) + "' is not a number of seconds from 0 to "
                    + MAX_SECONDS);
        }
        return Math.round(n.asDouble() * 1e9);
    }

    private ScenarioException error(String where, String message) {
        return new ScenarioException(file, places.line(where), where, message);
    }
}
