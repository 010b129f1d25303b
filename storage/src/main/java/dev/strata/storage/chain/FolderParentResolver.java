package dev.strata.storage.chain;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.DiskImage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds a parent image among the image files in the child's own folder, by opening each read-only and
 * comparing UUIDs (remembered while a file's length and modification time stay the same). It is what VirtualBox users expect when a chain's files sit together without a registry.
 */
public final class FolderParentResolver implements ParentResolver {

    private final ImageOpener opener;
    private final Set<String> extensions;
    /** UUIDs of files already opened, so opening a deep chain does not reopen every file for every link. */
    private final Map<Path, Seen> seen = new ConcurrentHashMap<>();

    /** A file's UUID (or why it did not open) as read when the file had this length and modification time. */
    private record Seen(long length, FileTime modified, UUID uuid, String failure) {
    }

    /**
     * @param opener     opens candidate files (read-only)
     * @param extensions file name extensions to consider, lower case without the dot, e.g. {@code "vdi"}
     */
    public FolderParentResolver(ImageOpener opener, Set<String> extensions) {
        this.opener = opener;
        this.extensions = Set.copyOf(extensions);
    }

    @Override
    public Path resolve(UUID parent, Path child) throws IOException {
        Path folder = child.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            return null;
        }
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder)) {
            for (Path p : dir) {
                if (hasImageExtension(p) && Files.isRegularFile(p) && !isSameFile(p, child)) {
                    candidates.add(p);
                }
            }
        }
        candidates.sort(null);
        Path found = null;
        List<String> unreadable = new ArrayList<>();
        for (Path candidate : candidates) {
            Seen seen = look(candidate);
            if (seen == null) {
                continue;
            }
            if (seen.failure() != null) {
                unreadable.add(candidate.getFileName() + " (" + seen.failure() + ")");
            }
            UUID uuid = seen.uuid();
            if (parent.equals(uuid)) {
                if (found != null) {
                    throw new StorageException(child, "two files in " + folder + " have the UUID " + parent
                            + " that this image names as its parent: " + found.getFileName() + " and "
                            + candidate.getFileName() + "; move the wrong one away");
                }
                found = candidate;
            }
        }
        if (found == null && !unreadable.isEmpty()) {
            // The parent may be one of the files that do not open: say so rather than "not found".
            throw new StorageException(child, "its parent image " + parent + " was not found in " + folder
                    + ", where " + String.join(", ", unreadable) + (unreadable.size() == 1 ? " does" : " do")
                    + " not open; if that is the parent, it is damaged: restore it from a backup");
        }
        return found;
    }

    private boolean hasImageExtension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && extensions.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean isSameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }

    /** What the candidate holds (its UUID, or why it does not open), or null when it cannot be examined. */
    private Seen look(Path candidate) {
        long length;
        FileTime modified;
        try {
            BasicFileAttributes attributes = Files.readAttributes(candidate, BasicFileAttributes.class);
            length = attributes.size();
            modified = attributes.lastModifiedTime();
        } catch (IOException e) {
            return null;
        }
        Seen known = seen.get(candidate);
        if (known != null && known.length() == length && known.modified().equals(modified)) {
            return known;
        }
        UUID uuid = null;
        String failure = null;
        try (DiskImage image = opener.open(candidate, true)) {
            uuid = image.uuid();
        } catch (IOException | RuntimeException e) {
            String m = String.valueOf(e.getMessage());
            String prefix = candidate + ": ";
            failure = m.startsWith(prefix) ? m.substring(prefix.length()) : m;
        }
        Seen now = new Seen(length, modified, uuid, failure);
        seen.put(candidate, now);
        return now;
    }
}
