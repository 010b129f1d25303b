package dev.strata.storage.media;

import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.media.RegistryFinding.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Compares what the media registry says of each medium with what its file holds (format, UUID, parent, size,
 * and a size that differs from its parent's), so {@code medium list} and {@code medium info} show every
 * disagreement instead of presenting the registry as the truth. Reads files only; never changes anything.
 */
public final class MediumAudit {
    private MediumAudit() {
    }

    /** The disagreements of every registered medium whose file is there. */
    public static List<RegistryFinding> all(MediaRegistry registry) {
        List<RegistryFinding> out = new ArrayList<>();
        for (Medium m : registry.all()) {
            out.addAll(of(registry, m));
        }
        return out;
    }

    /** The disagreements between {@code m}'s registry entry, its file, and its registered parent. */
    public static List<RegistryFinding> of(MediaRegistry registry, Medium m) {
        List<RegistryFinding> out = new ArrayList<>();
        if (!Files.exists(m.path())) {
            if (mergedAway(registry, m)) {
                out.add(new RegistryFinding(Kind.INTERRUPTED_MERGE, m.path() + " is gone and its children already"
                        + " name its parent: a merge of it into its parent was interrupted after deleting it; finish"
                        + " it with `strata medium merge " + m.uuid() + "`"));
            }
            return out; // else the registry's own validation reports a missing file
        }
        Long fileSize = fileFacts(registry, m, out);
        if (m.parentUuid() != null) {
            Optional<Medium> parent = Optional.empty();
            try {
                parent = registry.find(m.parentUuid());
            } catch (IOException e) {
                // a duplicate UUID is reported by the registry's own validation
            }
            if (parent.isPresent()) {
                long mine = fileSize != null ? fileSize : m.logicalSize();
                long theirs = parent.get().logicalSize();
                if (mine != theirs) {
                    out.add(new RegistryFinding(Kind.SIZE_MISMATCH, m.path() + " is " + mine + " bytes but its "
                            + "parent " + parent.get().path() + " is " + theirs + " bytes: the chain is broken "
                            + "(reads, writes, clones and merges refuse it); restore the right parent"));
                }
            }
        }
        return out;
    }

    /**
     * True when {@code m}'s file is gone, its parent is registered, and it has registered children whose files all
     * name that parent already: what a merge of {@code m} leaves between deleting it and updating the registry.
     */
    public static boolean mergedAway(MediaRegistry registry, Medium m) {
        if (m.parentUuid() == null || Files.exists(m.path())) {
            return false;
        }
        List<Medium> kids = registry.children(m.uuid());
        if (kids.isEmpty()) {
            return false;
        }
        try {
            if (registry.find(m.parentUuid()).isEmpty()) {
                return false;
            }
            for (Medium k : kids) {
                try (DiskImage img = DiskImages.open(k.path(), true, k.format(), k.uuid())) {
                    if (!m.parentUuid().equals(img.parentUuid())) {
                        return false;
                    }
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The registered parent of {@code m} when {@code m}'s file already names that parent's own parent, as a merge
     * leaves it between re-pointing the children's files and updating the registry; else null.
     */
    private static Medium mergedParent(MediaRegistry registry, Medium m, UUID fileParent) {
        if (m.parentUuid() == null || m.parentUuid().equals(fileParent)) {
            return null;
        }
        try {
            Optional<Medium> registered = registry.find(m.parentUuid());
            return registered.isPresent() && fileParent.equals(registered.get().parentUuid()) ? registered.get()
                    : null;
        } catch (IOException e) {
            return null; // a duplicate UUID is reported by the registry's own validation
        }
    }

    /** Opens the file as it is (not as registered) and reports what differs; returns its size, or null. */
    private static Long fileFacts(MediaRegistry registry, Medium m, List<RegistryFinding> out) {
        // A raw disk's content is the guest's (a guest may well write something that looks like a header), so
        // only other formats are compared with what the file's content says.
        ImageFormat opened = ImageFormat.RAW;
        if (m.format() != ImageFormat.RAW) {
            try {
                opened = DiskImages.detect(m.path());
            } catch (IOException e) {
                out.add(new RegistryFinding(Kind.FORMAT_MISMATCH, "registered as " + m.format() + ": "
                        + e.getMessage()));
                return null;
            }
            if (opened != m.format()) {
                out.add(new RegistryFinding(Kind.FORMAT_MISMATCH, m.path() + " is registered as a " + m.format()
                        + " image but the file " + (opened == ImageFormat.RAW ? "has no " + m.format() + " header"
                        + " (damaged or replaced?)" : "is a " + opened + " image") + "; restore the file, or forget "
                        + "the entry with `strata medium close " + m.uuid() + "` and register the file again"));
                return null;
            }
        }
        try (DiskImage img = DiskImages.open(m.path(), true, opened, m.uuid())) {
            if (!img.uuid().equals(m.uuid())) {
                out.add(new RegistryFinding(Kind.UUID_MISMATCH, m.path() + " is registered with UUID " + m.uuid()
                        + " but the file has UUID " + img.uuid() + " (was it replaced?); forget the entry with "
                        + "`strata medium close " + m.uuid() + "` and register the file again"));
            }
            UUID parent = img.parentUuid();
            Medium between = parent == null ? null : mergedParent(registry, m, parent);
            if (between != null) {
                out.add(new RegistryFinding(Kind.INTERRUPTED_MERGE, m.path() + " names " + parent + " as its"
                        + " parent, past " + between.path() + ", which the registry still lists between them: a"
                        + " merge of " + between.fileName() + " into its parent was interrupted; finish it with"
                        + " `strata medium merge " + between.path() + "`"));
            } else if (!Objects.equals(parent, m.parentUuid())) {
                out.add(new RegistryFinding(Kind.PARENT_MISMATCH, m.path() + " is registered with parent "
                        + (m.parentUuid() == null ? "none" : m.parentUuid()) + " but the file names "
                        + (parent == null ? "none" : parent)));
            }
            if (img.size() != m.logicalSize()) {
                out.add(new RegistryFinding(Kind.SIZE_MISMATCH, m.path() + " is registered as " + m.logicalSize()
                        + " bytes but the file holds a disk of " + img.size() + " bytes"));
            }
            return img.size();
        } catch (IOException e) {
            out.add(new RegistryFinding(Kind.UNREADABLE_FILE, e.getMessage()));
            return null;
        }
    }
}
