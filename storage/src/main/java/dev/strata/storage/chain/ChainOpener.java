package dev.strata.storage.chain;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.ImageFinding;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a differencing chain from its top image: follows parent UUIDs through a {@link ParentResolver}, opens
 * every ancestor read-only and checks the links. Opening never writes: the whole chain is validated read-only
 * before the top is reopened for writing, and on any error everything opened so far is closed.
 */
public final class ChainOpener {

    private static final Logger LOG = LoggerFactory.getLogger(ChainOpener.class);

    /** The deepest chain opened unless told otherwise; deeper ones are almost surely a loop or a mistake. */
    public static final int DEFAULT_MAX_DEPTH = 256;

    private final ImageOpener opener;
    private final ParentResolver resolver;
    private final int maxDepth;

    public ChainOpener(ImageOpener opener, ParentResolver resolver) {
        this(opener, resolver, DEFAULT_MAX_DEPTH);
    }

    public ChainOpener(ImageOpener opener, ParentResolver resolver, int maxDepth) {
        if (maxDepth < 1 || maxDepth > Short.MAX_VALUE) {
            throw new IllegalArgumentException("maxDepth " + maxDepth);
        }
        this.opener = Objects.requireNonNull(opener, "opener");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.maxDepth = maxDepth;
    }

    /** The driver front end this opener uses for single images. */
    public ImageOpener imageOpener() {
        return opener;
    }

    /** Where this opener looks for parents. */
    public ParentResolver resolver() {
        return resolver;
    }

    /**
     * Opens the image at {@code top} and all its ancestors. The top is writable unless {@code readOnly};
     * the ancestors are always read-only.
     *
     * @throws StorageException naming the files and UUIDs when a parent is missing, has another UUID or
     *                          size, the links form a cycle, or the chain is deeper than the limit
     */
    public DiskChain open(Path top, boolean readOnly) throws IOException {
        List<DiskImage> topFirst = new ArrayList<>();
        try {
            DiskImage current = opener.open(top, true);
            topFirst.add(current);
            Set<UUID> seen = new HashSet<>();
            seen.add(current.uuid());
            while (current.parentUuid() != null) {
                UUID parentUuid = current.parentUuid();
                if (seen.contains(parentUuid)) {
                    throw new StorageException(top, loop(topFirst, parentUuid)
                            + "; the files' parent links are damaged: restore them from a backup");
                }
                if (topFirst.size() >= maxDepth) {
                    throw new StorageException(top, "the chain is deeper than " + maxDepth + " images (reached "
                            + current.path() + "); merge some images or check for a loop");
                }
                DiskImage parent = openParent(current, parentUuid);
                topFirst.add(parent);
                if (!parentUuid.equals(parent.uuid())) {
                    throw new StorageException(current.path(), "the image " + current.uuid() + " names "
                            + parentUuid + " as its parent, but " + parent.path() + " has UUID " + parent.uuid()
                            + "; find the right parent file or fix the registry");
                }
                if (parent.size() != current.size()) {
                    throw DiskChain.sizeMismatch(current, parent);
                }
                current.checkParent(parent);
                seen.add(parent.uuid());
                current = parent;
            }
            if (!readOnly) {
                reopenTopWritable(topFirst);
            }
            List<DiskImage> baseFirst = new ArrayList<>(topFirst);
            Collections.reverse(baseFirst);
            // a VM's drives open writable (their chains belong in its log); read-only opens are mostly probes
            if (!readOnly && LOG.isInfoEnabled()) {
                LOG.info("opened {}: {}", top, describe(baseFirst));
            } else if (LOG.isDebugEnabled()) {
                LOG.debug("opened {} read-only: {}", top, describe(baseFirst));
            }
            return DiskChain.of(baseFirst);
        } catch (IOException | RuntimeException e) {
            try {
                DiskChain.closeAll(topFirst);
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /**
     * What {@code image} records of its parent beyond the UUID that does not match the parent this opener finds (see
     * {@link DiskImage#parentLinkFindings}), for a check of the file. Empty for a base image, and when the parent
     * cannot be found, has another UUID or size: opening the chain reports those.
     */
    public List<ImageFinding> parentLinkFindings(Path image) throws IOException {
        try (DiskImage child = opener.open(image, true)) {
            UUID parentUuid = child.parentUuid();
            if (parentUuid == null) {
                return List.of();
            }
            DiskImage parent;
            try {
                parent = openParent(child, parentUuid);
            } catch (IOException e) {
                return List.of();
            }
            try (parent) {
                if (!parentUuid.equals(parent.uuid()) || parent.size() != child.size()) {
                    return List.of();
                }
                return child.parentLinkFindings(parent);
            }
        }
    }

    private DiskImage openParent(DiskImage child, UUID parentUuid) throws IOException {
        Path parentPath = resolver.resolve(parentUuid, child.path());
        String hint = child.parentPathHint();
        if (parentPath == null && hint != null) {
            // the file name the child's format records for its parent, relative to the child's folder; the UUID
            // check after opening it still decides
            parentPath = child.path().toAbsolutePath().resolveSibling(hint).normalize();
        }
        if (parentPath == null) {
            throw notFound(child, parentUuid, "no file with that UUID was found");
        }
        try {
            return opener.open(parentPath, true);
        } catch (NoSuchFileException e) {
            throw notFound(child, parentUuid, "it should be " + parentPath + ", which does not exist");
        }
    }

    /** The layers base first, as {@code base.vdi (UUID) <- child.vdi (UUID)}. */
    static String describe(List<DiskImage> baseFirst) {
        StringBuilder b = new StringBuilder();
        for (DiskImage image : baseFirst) {
            if (b.length() > 0) {
                b.append(" <- ");
            }
            b.append(image.path().getFileName()).append(" (").append(image.uuid()).append(')');
        }
        return b.toString();
    }

    private static StorageException notFound(DiskImage child, UUID parentUuid, String why) {
        Path folder = child.path().toAbsolutePath().getParent();
        return new StorageException(child.path(), "the parent image " + parentUuid + " of " + child.uuid()
                + " is missing: " + why + " (looked in " + folder + "); put the parent file there or register it");
    }

    /** Swaps the read-only top for a writable one, checking the file did not change in between. */
    private void reopenTopWritable(List<DiskImage> topFirst) throws IOException {
        DiskImage readOnlyTop = topFirst.get(0);
        DiskImage writable = opener.open(readOnlyTop.path(), false);
        if (!Objects.equals(writable.uuid(), readOnlyTop.uuid())
                || !Objects.equals(writable.parentUuid(), readOnlyTop.parentUuid())) {
            writable.close();
            throw new StorageException(readOnlyTop.path(), "the image changed while its chain was being opened;"
                    + " try again");
        }
        topFirst.set(0, writable);
        readOnlyTop.close();
    }

    /** "parent loop: a.vdi → b.vdi → a.vdi", from the first image of the loop back to it. */
    static String loop(List<DiskImage> topFirst, UUID backTo) {
        StringBuilder sb = new StringBuilder("parent loop: ");
        boolean in = false;
        String first = null;
        for (DiskImage image : topFirst) {
            in |= image.uuid().equals(backTo);
            if (in) {
                String name = image.path().getFileName().toString();
                first = first == null ? name : first;
                sb.append(name).append(" \u2192 ");
            }
        }
        return sb.append(first).toString();
    }

}
