package dev.strata.emulator.state;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks a {@link MachineStateSchema} against the committed schema file: a section whose schema changed while its
 * version did not is reported with what to do, so no build writes files that older ones misread. Run with the
 * system property {@value #UPDATE} set to rewrite the file once the versions are decided.
 */
public final class StateSchemaFile {

    /** The system property that makes {@link #check} rewrite the file instead of comparing. */
    public static final String UPDATE = "strata.updateStateSchema";

    private StateSchemaFile() {
    }

    /**
     * Compares {@code current} with {@code file} (or rewrites the file when {@value #UPDATE} is true).
     *
     * @param regenerate the command that rewrites the file, for the messages
     * @return the problems, empty when the file matches
     */
    public static List<String> check(Path file, String current, String regenerate) throws IOException {
        if (Boolean.getBoolean(UPDATE)) {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, current, StandardCharsets.UTF_8);
            return List.of();
        }
        String committed = Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        List<String> out = new ArrayList<>();
        for (String problem : problems(committed, current, file.toString())) {
            out.add(problem + "\n  the command: " + regenerate);
        }
        return out;
    }

    /** The differences between two schema texts that need a decision; {@code file} names the committed one. */
    static List<String> problems(String committed, String current, String file) {
        Map<String, List<String>> before = sections(committed);
        Map<String, List<String>> now = sections(current);
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : now.entrySet()) {
            String tag = e.getKey();
            List<String> old = before.get(tag);
            if (old == null) {
                out.add("section '" + tag + "' is not in " + file);
                continue;
            }
            if (old.equals(e.getValue())) {
                continue;
            }
            String oldHeader = old.get(0);
            String newHeader = e.getValue().get(0);
            List<String> added = new ArrayList<>(e.getValue().subList(1, e.getValue().size()));
            added.removeAll(old);
            List<String> removed = new ArrayList<>(old.subList(1, old.size()));
            removed.removeAll(e.getValue());
            String change = (added.isEmpty() ? "" : " added " + trimmed(added))
                    + (removed.isEmpty() ? "" : " removed " + trimmed(removed));
            if (version(oldHeader).equals(version(newHeader)) && !change.isEmpty()) {
                out.add("section '" + tag + "' changed but is still " + version(newHeader) + ":" + change
                        + ". Files saved before the change would load wrongly: bump the section's version "
                        + "(MachineSections, or Firmware.stateVersion for the firmware), give new fields "
                        + "@StateField(since = the new version), retire removed keys (@StateClass(retired)) or migrate "
                        + "retyped ones in a StateLoadHook, keep a golden file of the old version, then regenerate "
                        + file);
            } else {
                out.add("section '" + tag + "' is now '" + newHeader + "'" + change + "; the versions are decided, "
                        + "so regenerate " + file);
            }
        }
        for (String tag : before.keySet()) {
            if (!now.containsKey(tag)) {
                out.add("section '" + tag + "' is no longer saved: earlier files have it; decide how they load, "
                        + "then regenerate " + file);
            }
        }
        return out;
    }

    private static String trimmed(List<String> lines) {
        List<String> t = new ArrayList<>();
        for (String l : lines) {
            t.add("'" + l.trim() + "'");
        }
        return String.join(", ", t);
    }

    /** "version N oldest M" of a section header. */
    private static String version(String header) {
        int at = header.indexOf(" version ");
        return at < 0 ? header : header.substring(at + 1);
    }

    private static Map<String, List<String>> sections(String text) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("section ")) {
                current = new ArrayList<>();
                out.put(line.split(" ")[1], current);
            }
            if (current != null && !line.isBlank()) {
                current.add(line);
            }
        }
        return out;
    }
}
