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

    /** A file's UUID as read when the file had this length and modification time. */
    private record Seen(long length, FileTime modified, UUID uuid) {
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
        for (Path candidate : candidates) {
            UUID uuid = uuidOf(candidate);
            if (parent.equals(uuid)) {
                if (found != null) {
                    throw new StorageException(child, "two files in " + folder + " have the UUID " + parent
                            + " that this image names as its parent: " + found.getFileName() + " and "
                            + candidate.getFileName() + "; move the wrong one away");
                }
                found = candidate;
            }
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

    /** The candidate's UUID, or null when it does not open: an unrelated or damaged file is not the parent. */
    private UUID uuidOf(Path candidate) {
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
            return known.uuid();
        }
        UUID uuid;
        try (DiskImage image = opener.open(candidate, true)) {
            uuid = image.uuid();
        } catch (IOException | RuntimeException e) {
            uuid = null;
        }
        seen.put(candidate, new Seen(length, modified, uuid));
        return uuid;
    }
}
