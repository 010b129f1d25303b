package dev.strata.storage.media;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Finds what is wrong in a list of registered media, for {@link MediaRegistry#validate()}. */
final class RegistryValidator {
    private RegistryValidator() {
    }

    /** Every problem in the registry: duplicate UUIDs or paths, missing files, unknown parents, parent cycles. */
    static List<RegistryFinding> findings(List<Medium> media) {
        List<RegistryFinding> out = new ArrayList<>();
        Map<UUID, Medium> byUuid = new HashMap<>();
        Map<Path, Medium> byPath = new HashMap<>();
        for (Medium m : media) {
            Medium other = byUuid.putIfAbsent(m.uuid(), m);
            if (other != null) {
                out.add(new RegistryFinding(RegistryFinding.Kind.DUPLICATE_UUID, "UUID " + m.uuid()
                        + " is registered for both " + other.path() + " and " + m.path()));
            }
            Medium otherPath = byPath.putIfAbsent(MediaRegistry.canonical(m.path()), m);
            if (otherPath != null) {
                out.add(new RegistryFinding(RegistryFinding.Kind.DUPLICATE_PATH, m.path() + " is registered twice, "
                        + "as " + otherPath.uuid() + " and " + m.uuid()));
            }
            if (!Files.exists(m.path())) {
                out.add(new RegistryFinding(RegistryFinding.Kind.MISSING_FILE, m.path() + " (UUID " + m.uuid()
                        + ") is registered but the file is missing; restore it or forget it with "
                        + "`strata medium close " + m.uuid() + "`"));
            }
        }
        for (Medium m : media) {
            if (m.parentUuid() != null && !byUuid.containsKey(m.parentUuid())) {
                out.add(new RegistryFinding(RegistryFinding.Kind.UNKNOWN_PARENT, m.path() + " names parent "
                        + m.parentUuid() + ", which is not registered"));
            }
        }
        out.addAll(cycles(media, byUuid));
        return out;
    }

    /** Reports each parent cycle once, listing its members in parent order. */
    private static List<RegistryFinding> cycles(List<Medium> media, Map<UUID, Medium> byUuid) {
        List<RegistryFinding> out = new ArrayList<>();
        Set<UUID> done = new HashSet<>();
        for (Medium start : media) {
            List<UUID> path = new ArrayList<>();
            Medium m = start;
            while (m != null && !done.contains(m.uuid()) && !path.contains(m.uuid())) {
                path.add(m.uuid());
                m = m.parentUuid() == null ? null : byUuid.get(m.parentUuid());
            }
            if (m != null && path.contains(m.uuid())) {
                StringBuilder sb = new StringBuilder("parent links form a loop: ");
                for (UUID u : path.subList(path.indexOf(m.uuid()), path.size())) {
                    sb.append(byUuid.get(u).path()).append(" -> ");
                }
                sb.append(m.path());
                out.add(new RegistryFinding(RegistryFinding.Kind.PARENT_CYCLE, sb.toString()));
            }
            done.addAll(path);
        }
        return out;
    }
}
