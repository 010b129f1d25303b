package dev.strata.emulator.vm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.strata.emulator.machine.MachineSettings;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Checks a VM settings file's JSON field by field before it is bound to {@link VmSettings}: types, required
 * fields, ranges, slots, and the cross-references (current snapshot, unique snapshot UUIDs, one drive per slot,
 * one slot per medium). Each problem names its JSON path ({@code attachments[2].port}) and what is allowed, so
 * nothing later trips over a value the file should never have held.
 */
final class VmSettingsValidator {
    private static final Set<String> ROOT_FIELDS = Set.of("format", "version", "name", "uuid", "memoryMb",
            "bootOrder", "kernel", "initrd", "append", "kernelUnpack", "state", "savedState", "currentSnapshot",
            "attachments", "snapshots", "pending");
    private static final Set<String> ATTACHMENT_FIELDS = Set.of("controller", "port", "device", "type", "medium",
            "mediumPath", "current");
    private static final Set<String> SNAPSHOT_FIELDS = Set.of("uuid", "name", "description", "taken", "online",
            "savedState", "memoryMb", "bootOrder", "attachments", "children");
    private static final Set<String> PENDING_FIELDS = Set.of("kind", "snapshot", "snapshotName", "completed",
            "merges");
    private static final Set<String> MERGE_FIELDS = Set.of("direction", "parent", "child", "started");

    private final List<String> problems = new ArrayList<>();
    /** Snapshot UUID to the path of the snapshot that first used it. */
    private final Map<UUID, String> snapshotUuids = new HashMap<>();

    private VmSettingsValidator() {
    }

    /** Every problem of {@code root}, in file order, each as "PATH: what is wrong; what is allowed". */
    static List<String> problems(JsonNode root) {
        VmSettingsValidator v = new VmSettingsValidator();
        v.root(root);
        return v.problems;
    }

    private void root(JsonNode root) {
        knownFields(root, "", ROOT_FIELDS);
        String name = text(root, "", "name", true);
        if (name != null && !VirtualMachines.NAME.matcher(name).matches()) {
            problem("name", "is " + quote(name) + "; a VM name is 1 to 64 letters, digits, '.', '_' or '-', starting"
                    + " with a letter or digit");
        }
        uuid(root, "", "uuid", true);
        memory(root, "");
        bootOrder(root, "");
        directBoot(root);
        String state = text(root, "", "state", true);
        if (state != null) {
            try {
                VmState.parse(state);
            } catch (IllegalArgumentException e) {
                problem("state", "is " + quote(state) + ", not a VM state; use PoweredOff, Running, Paused, Saved or"
                        + " Aborted");
            }
        }
        text(root, "", "savedState", false);
        UUID current = uuid(root, "", "currentSnapshot", false);
        attachments(root, "");
        JsonNode snapshots = array(root, "", "snapshots");
        if (snapshots != null) {
            for (int i = 0; i < snapshots.size(); i++) {
                snapshot(snapshots.get(i), "snapshots[" + i + "]");
            }
        }
        if (current != null && !snapshotUuids.containsKey(current)) {
            problem("currentSnapshot", "is " + current + ", but there is no snapshot with that UUID; set it to the"
                    + " UUID of one in \"snapshots\" (or remove it when there are none)");
        }
        pending(root.get("pending"));
    }

    private void snapshot(JsonNode node, String path) {
        if (!object(node, path)) {
            return;
        }
        knownFields(node, path, SNAPSHOT_FIELDS);
        UUID uuid = uuid(node, path, "uuid", true);
        if (uuid != null) {
            String first = snapshotUuids.putIfAbsent(uuid, path);
            if (first != null) {
                problem(path + ".uuid", "is " + uuid + ", the UUID of " + first + ".uuid too; every snapshot needs a"
                        + " UUID of its own");
            }
        }
        text(node, path, "name", true);
        text(node, path, "description", false);
        text(node, path, "taken", false);
        bool(node, path, "online");
        text(node, path, "savedState", false);
        memory(node, path);
        bootOrder(node, path);
        attachments(node, path);
        JsonNode children = array(node, path, "children");
        if (children != null) {
            for (int i = 0; i < children.size(); i++) {
                snapshot(children.get(i), path + ".children[" + i + "]");
            }
        }
    }

    private void attachments(JsonNode owner, String ownerPath) {
        JsonNode list = array(owner, ownerPath, "attachments");
        if (list == null) {
            return;
        }
        Map<String, String> slots = new HashMap<>();
        Map<UUID, String> media = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            String path = join(ownerPath, "attachments[" + i + "]");
            JsonNode a = list.get(i);
            if (!object(a, path)) {
                continue;
            }
            knownFields(a, path, ATTACHMENT_FIELDS);
            String controller = text(a, path, "controller", true);
            Integer port = integer(a, path, "port", true);
            Integer device = integer(a, path, "device", true);
            String type = text(a, path, "type", true);
            UUID medium = uuid(a, path, "medium", true);
            String mediumPath = text(a, path, "mediumPath", true);
            if (mediumPath != null && mediumPath.isBlank()) {
                problem(path + ".mediumPath", "is empty; it is the medium's file, an absolute path");
            }
            text(a, path, "current", false);
            if (controller == null || port == null || device == null || type == null) {
                continue;
            }
            if (DriveType.of(type).isEmpty()) {
                problem(path + ".type", "is " + quote(type) + ", not a drive type; use " + DriveType.keys());
                continue;
            }
            AttachmentRules.SlotProblem slot = AttachmentRules.slotProblem(controller, port, device, type);
            if (slot != null) {
                problem(path + "." + slot.field(), slot.message());
                continue;
            }
            String key = controller + " " + port + ":" + device;
            String taken = slots.putIfAbsent(key, path);
            if (taken != null) {
                problem(path, "sits in slot " + key + ", which " + taken + " holds already; one drive per slot");
            }
            String same = medium == null ? null : media.putIfAbsent(medium, path);
            if (same != null) {
                problem(path + ".medium", "is " + medium + ", which " + same + " holds already; a medium sits in one"
                        + " slot of a VM");
            }
        }
    }

    private void pending(JsonNode p) {
        if (p == null || p.isNull() || !object(p, "pending")) {
            return;
        }
        knownFields(p, "pending", PENDING_FIELDS);
        String kind = text(p, "pending", "kind", true);
        if (kind != null && !kind.equals("delete-snapshot")) {
            problem("pending.kind", "is " + quote(kind) + "; the only pending operation is \"delete-snapshot\"");
        }
        uuid(p, "pending", "snapshot", true);
        text(p, "pending", "snapshotName", false);
        Integer completed = integer(p, "pending", "completed", false);
        if (completed != null && completed < 0) {
            problem("pending.completed", "is " + completed + "; it counts the steps done, 0 or more");
        }
        JsonNode merges = array(p, "pending", "merges");
        if (merges == null) {
            return;
        }
        for (int i = 0; i < merges.size(); i++) {
            String path = "pending.merges[" + i + "]";
            JsonNode m = merges.get(i);
            if (!object(m, path)) {
                continue;
            }
            knownFields(m, path, MERGE_FIELDS);
            String direction = text(m, path, "direction", true);
            if (direction != null && !direction.equals("forward") && !direction.equals("backward")) {
                problem(path + ".direction", "is " + quote(direction) + "; use forward or backward");
            }
            text(m, path, "parent", true);
            text(m, path, "child", true);
            bool(m, path, "started");
        }
    }

    /** The direct-boot fields: absolute kernel and initrd paths, and an initrd or command line only with a kernel. */
    private void directBoot(JsonNode root) {
        String kernel = text(root, "", "kernel", false);
        String initrd = text(root, "", "initrd", false);
        String append = text(root, "", "append", false);
        String unpack = text(root, "", "kernelUnpack", false);
        absolutePath("kernel", kernel);
        absolutePath("initrd", initrd);
        if (unpack != null && !unpack.equals("strata") && !unpack.equals("guest")) {
            problem("kernelUnpack", "is " + quote(unpack) + "; it is \"strata\" (Strata unpacks the kernel) or"
                    + " \"guest\" (the kernel's own decompressor runs)");
        }
        if (!root.hasNonNull("kernel")) {
            if (unpack != null) {
                problem("kernelUnpack", "is set, but there is no \"kernel\" to unpack; add the kernel or remove it");
            }
            if (initrd != null) {
                problem("initrd", "is set, but there is no \"kernel\" to load it with; add the kernel or remove it");
            }
            if (append != null) {
                problem("append", "is set, but there is no \"kernel\" to pass it to; add the kernel or remove it");
            }
        }
    }

    private void absolutePath(String field, String value) {
        if (value == null) {
            return;
        }
        boolean absolute;
        try {
            absolute = Path.of(value).isAbsolute();
        } catch (InvalidPathException e) {
            absolute = false;
        }
        if (!absolute) {
            problem(field, "is " + quote(value) + "; it is a file's absolute path");
        }
    }

    private void memory(JsonNode owner, String ownerPath) {
        Integer mb = integer(owner, ownerPath, "memoryMb", true);
        if (mb != null && (mb < 1 || mb > MachineSettings.MAX_MEMORY_MB)) {
            problem(join(ownerPath, "memoryMb"), "is " + mb + "; RAM is 1 to " + MachineSettings.MAX_MEMORY_MB
                    + " MB");
        }
    }

    private void bootOrder(JsonNode owner, String ownerPath) {
        String order = text(owner, ownerPath, "bootOrder", true);
        if (order == null) {
            return;
        }
        if (!order.matches("[acd]{1,3}")) {
            problem(join(ownerPath, "bootOrder"), "is " + quote(order) + "; it is 1 to 3 drive letters a, c or d"
                    + " (floppy, hard disk, CD), e.g. \"adc\"");
        } else if (order.chars().distinct().count() != order.length()) {
            problem(join(ownerPath, "bootOrder"), "is " + quote(order) + "; each drive letter (a, c or d) may appear at"
                    + " most once, e.g. \"adc\"");
        }
    }

    /** The text of a string field, or null when it is absent (reported when required) or not a string. */
    private String text(JsonNode owner, String ownerPath, String field, boolean required) {
        JsonNode v = present(owner, ownerPath, field, required);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            problem(join(ownerPath, field), "is " + v + ", but it must be a string");
            return null;
        }
        return v.asText();
    }

    private Integer integer(JsonNode owner, String ownerPath, String field, boolean required) {
        JsonNode v = present(owner, ownerPath, field, required);
        if (v == null) {
            return null;
        }
        if (!v.isInt()) {
            problem(join(ownerPath, field), "is " + v + ", but it must be a whole number");
            return null;
        }
        return v.intValue();
    }

    private void bool(JsonNode owner, String ownerPath, String field) {
        JsonNode v = present(owner, ownerPath, field, false);
        if (v != null && !v.isBoolean()) {
            problem(join(ownerPath, field), "is " + v + ", but it must be true or false");
        }
    }

    private UUID uuid(JsonNode owner, String ownerPath, String field, boolean required) {
        JsonNode v = present(owner, ownerPath, field, required);
        if (v == null) {
            return null;
        }
        if (v.isTextual()) {
            try {
                UUID u = UUID.fromString(v.asText());
                if (u.toString().equalsIgnoreCase(v.asText())) {
                    return u;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
        }
        problem(join(ownerPath, field), "is " + v + ", but it must be a UUID such as"
                + " \"0b1e2f3a-4c5d-6e7f-8091-a2b3c4d5e6f7\"");
        return null;
    }

    /** The list in {@code field}: absent is an empty list, anything but an array (null included) is a problem. */
    private JsonNode array(JsonNode owner, String ownerPath, String field) {
        JsonNode v = owner.get(field);
        if (v == null) {
            return null;
        }
        if (!v.isArray()) {
            problem(join(ownerPath, field), "is " + v + ", but it must be an array ([] for none)");
            return null;
        }
        return v;
    }

    private boolean object(JsonNode v, String path) {
        if (v == null || !v.isObject()) {
            problem(path, "is " + v + ", but it must be an object {...}");
            return false;
        }
        return true;
    }

    /** The value of {@code field}; null (reported when required) when it is absent or JSON null. */
    private JsonNode present(JsonNode owner, String ownerPath, String field, boolean required) {
        JsonNode v = owner.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                problem(join(ownerPath, field), "is missing; it is required");
            }
            return null;
        }
        return v;
    }

    private void knownFields(JsonNode node, String path, Set<String> allowed) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                problem(join(path, f), "is an unknown field (Strata would drop it at the next save); the fields here"
                        + " are " + String.join(", ", allowed.stream().sorted().toList()));
            }
        }
    }

    private void problem(String path, String text) {
        problems.add(path + " " + text);
    }

    private static String join(String ownerPath, String field) {
        return ownerPath.isEmpty() ? field : ownerPath + "." + field;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
