package dev.strata.storage.chain;

import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageDrivers;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Finds the differencing images in a folder that name a given image as their parent, by opening read-only each file
 * of a format that has differencing images: what a merge must re-point even when no registry knows them (a child registered in another Strata
 * home, or closed). Files that do not open are not children.
 */
public final class FolderChildFinder {
    private static final Set<String> CHILD_EXTENSIONS = ImageDrivers.childExtensions();
    private final ImageOpener opener;

    public FolderChildFinder(ImageOpener opener) {
        this.opener = opener;
    }

    /** The images in {@code image}'s folder, other than {@code image}, whose parent UUID is {@code uuid}. */
    public List<Path> childrenOf(UUID uuid, Path image) throws IOException {
        Path folder = image.toAbsolutePath().normalize().getParent();
        List<Path> out = new ArrayList<>();
        if (folder == null || !Files.isDirectory(folder)) {
            return out;
        }
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(folder)) {
            for (Path p : dir) {
                if (isDiffCandidate(p) && !sameFile(p, image) && uuid.equals(parentOf(p))) {
                    out.add(p);
                }
            }
        }
        out.sort(null);
        return out;
    }

    /** Differencing images are files of the formats that have them. */
    private static boolean isDiffCandidate(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        return dot >= 0 && CHILD_EXTENSIONS.contains(name.substring(dot + 1)) && Files.isRegularFile(p);
    }

    private UUID parentOf(Path p) {
        try (DiskImage img = opener.open(p, true)) {
            return img.parentUuid();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return false;
        }
    }
}
