package dev.strata.storage.media;

import dev.strata.storage.StorageException;
import dev.strata.storage.chain.FileChains;
import dev.strata.storage.chain.FolderParentResolver;
import dev.strata.storage.chain.ParentResolver;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media a user has registered with Strata, kept in {@code media.json} in the Strata home: a file people
 * can read, rewritten atomically on {@link #save()}.
 *
 * <p>Loading never rejects a registry for duplicate UUIDs, missing files or parent cycles (the user must be
 * able to repair it with Strata itself): {@link #validate()} lists them, and an operation that runs into one
 * fails with an error naming it.
 *
 * <p>As a {@link ParentResolver} it answers from the registered media first and looks in the child's folder
 * when the parent is not registered (the chain opener checks the UUID of whatever it is given).
 */
public final class MediaRegistry implements ParentResolver {

    private static final Logger LOG = LoggerFactory.getLogger(MediaRegistry.class);
    /** The registry's file name inside the Strata home. */
    public static final String FILE_NAME = "media.json";

    private final Path file;
    private final List<Medium> media = new ArrayList<>();

    private MediaRegistry(Path file) {
        this.file = file;
    }

    /** Loads the registry of the Strata home {@link StrataHome#resolve()}. */
    public static MediaRegistry load() throws StorageException {
        return load(StrataHome.resolve());
    }

    /** Loads {@code home/media.json}; a missing file is an empty registry, a home that is no folder an error. */
    public static MediaRegistry load(Path home) throws StorageException {
        if (Files.exists(home) && !Files.isDirectory(home)) {
            throw new StorageException(home.toAbsolutePath().normalize(), "is not a folder, but it is the Strata home ("
                    + StrataHome.ENV + " or ~/.strata) where the media registry belongs; point " + StrataHome.ENV
                    + " at a folder, or move the file away");
        }
        MediaRegistry reg = new MediaRegistry(home.toAbsolutePath().normalize().resolve(FILE_NAME));
        if (Files.exists(reg.file)) {
            reg.media.addAll(RegistryJson.read(reg.file));
        }
        return reg;
    }

    /** The registry file. */
    public Path file() {
        return file;
    }

    /** Every registered medium, in registration order. */
    public List<Medium> all() {
        return List.copyOf(media);
    }

    /** The medium with this UUID; fails when the registry holds it twice. */
    public Optional<Medium> find(UUID uuid) throws StorageException {
        Medium found = null;
        for (Medium m : media) {
            if (m.uuid().equals(uuid)) {
                if (found != null) {
                    throw new StorageException(file, "UUID " + uuid + " is registered twice, for " + found.path()
                            + " and " + m.path() + "; close one of them with `strata medium close`");
                }
                found = m;
            }
        }
        return Optional.ofNullable(found);
    }

    /** The medium registered for this file (compared after resolving symbolic links). */
    public Optional<Medium> findByPath(Path path) {
        Path p = canonical(path);
        for (Medium m : media) {
            if (m.path().equals(p) || canonical(m.path()).equals(p)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The registered file of {@code parent}, else an image with that UUID in {@code child}'s folder, else null. */
    @Override
    public Path resolve(UUID parent, Path child) throws IOException {
        Optional<Medium> m = find(parent);
        if (m.isPresent()) {
            return m.get().path();
        }
        return new FolderParentResolver(DiskImages::open, FileChains.PARENT_EXTENSIONS).resolve(parent, child);
    }

    /** The format registered for {@code file}, or null when it is not registered. */
    @Override
    public ImageFormat knownFormat(Path file) {
        return findByPath(file).map(Medium::format).orElse(null);
    }

    /** The medium a user named by path or by UUID; the error says how to register it. */
    public Medium lookup(String pathOrUuid) throws StorageException {
        UUID uuid = parseUuid(pathOrUuid);
        Optional<Medium> m = uuid != null ? find(uuid) : findByPath(Path.of(pathOrUuid));
        if (m.isEmpty()) {
            throw new StorageException(uuid != null ? null : Path.of(pathOrUuid).toAbsolutePath().normalize(),
                    (uuid != null ? "no medium with UUID " + uuid : "is not a registered medium")
                            + " in " + file + "; create it with `strata medium create` first");
        }
        return m.get();
    }

    /** The medium with this UUID, or an error naming what was looked for. */
    public Medium require(UUID uuid) throws StorageException {
        return find(uuid).orElseThrow(() -> new StorageException(file, "no medium with UUID " + uuid
                + " is registered"));
    }

    /**
     * Registers a medium. Registering the same file with the same UUID again changes nothing and returns the
     * existing entry; another file with an already registered UUID, or a registered file whose UUID changed,
     * is an error naming both.
     */
    public Medium register(Medium medium) throws StorageException {
        Medium m = new Medium(medium.uuid(), canonical(medium.path()), medium.format(), medium.variant(),
                medium.type(), medium.autoreset(), medium.parentUuid(), medium.logicalSize());
        Optional<Medium> sameUuid = find(m.uuid());
        Optional<Medium> samePath = findByPath(m.path());
        if (sameUuid.isPresent() && samePath.isPresent() && sameUuid.get() == samePath.get()) {
            return sameUuid.get();
        }
        if (sameUuid.isPresent()) {
            throw new StorageException(m.path(), "has UUID " + m.uuid() + ", which is already registered for "
                    + sameUuid.get().path() + " (a copied file?); make an independent copy with "
                    + "`strata medium clone`, which gives it a new UUID");
        }
        if (samePath.isPresent()) {
            throw new StorageException(m.path(), "is registered with UUID " + samePath.get().uuid()
                    + " but the file now has UUID " + m.uuid() + " (was it replaced?); forget the old entry with "
                    + "`strata medium close " + m.path() + "` and register it again");
        }
        media.add(m);
        LOG.info("registered {} ({}, {})", m.path(), m.uuid(), m.type());
        return m;
    }

    /**
     * Points the entry of {@code uuid} at {@code newPath}, for an image that was moved: only when the registered
     * file is gone (a copy beside the original is a different thing, see {@link #register}).
     */
    public Medium relocate(UUID uuid, Path newPath) throws StorageException {
        Medium m = require(uuid);
        if (Files.exists(m.path())) {
            throw new StorageException(newPath, "has UUID " + uuid + ", which is registered for " + m.path()
                    + ", and that file still exists; this is a copy, not a move");
        }
        Medium moved = new Medium(m.uuid(), canonical(newPath), m.format(), m.variant(), m.type(), m.autoreset(),
                m.parentUuid(), m.logicalSize());
        media.set(media.indexOf(m), moved);
        LOG.info("{} moved from {} to {}", uuid, m.path(), moved.path());
        return moved;
    }

    /** Replaces the entry with the same UUID (type, autoreset, parent, size changes). */
    public void update(Medium medium) throws StorageException {
        for (int i = 0; i < media.size(); i++) {
            if (media.get(i).uuid().equals(medium.uuid())) {
                media.set(i, medium);
                return;
            }
        }
        throw new StorageException(medium.path(), "is not registered (UUID " + medium.uuid() + ")");
    }

    /** Forgets a medium; refused while registered media name it as their parent. */
    public void unregister(UUID uuid) throws StorageException {
        Medium m = require(uuid);
        List<Medium> kids = children(uuid);
        if (!kids.isEmpty()) {
            throw new StorageException(m.path(), "has " + kids.size() + " registered differencing "
                    + (kids.size() == 1 ? "child" : "children") + " (" + kids.get(0).path() + (kids.size() > 1
                    ? ", ..." : "") + "); merge or close them first");
        }
        media.removeIf(x -> x.uuid().equals(uuid));
        LOG.info("forgot {} ({})", m.path(), uuid);
    }

    /**
     * Forgets several media at once (a VM's diffs, parents and children together); refused when a medium that
     * stays names one of them as its parent.
     */
    public void unregisterAll(Set<UUID> uuids) throws StorageException {
        for (Medium m : media) {
            if (!uuids.contains(m.uuid()) && m.parentUuid() != null && uuids.contains(m.parentUuid())) {
                Medium parent = require(m.parentUuid());
                throw new StorageException(parent.path(), "is the parent of " + m.path() + ", which stays registered; "
                        + "merge or close " + m.fileName() + " first");
            }
        }
        if (media.removeIf(x -> uuids.contains(x.uuid()))) {
            LOG.info("forgot {}", uuids);
        }
    }

    /** The registered media whose parent is {@code uuid}. */
    public List<Medium> children(UUID uuid) {
        List<Medium> out = new ArrayList<>();
        for (Medium m : media) {
            if (uuid.equals(m.parentUuid())) {
                out.add(m);
            }
        }
        return out;
    }

    /** Media without a registered parent: the roots of {@code strata medium tree}. */
    public List<Medium> roots() {
        Set<UUID> known = new HashSet<>();
        media.forEach(m -> known.add(m.uuid()));
        List<Medium> out = new ArrayList<>();
        for (Medium m : media) {
            if (m.parentUuid() == null || !known.contains(m.parentUuid())) {
                out.add(m);
            }
        }
        return out;
    }

    /**
     * The chain from {@code uuid} up to its base: the medium first, the base last. Fails on a parent that is
     * not registered or a cycle, naming the media involved.
     */
    public List<Medium> chain(UUID uuid) throws StorageException {
        List<Medium> out = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        Medium m = require(uuid);
        while (true) {
            if (!seen.add(m.uuid())) {
                throw new StorageException(m.path(), "parent cycle: following parent links from " + out.get(0).path()
                        + " comes back to this medium; fix the registry (" + file + ") or the image's parent UUID");
            }
            out.add(m);
            if (m.parentUuid() == null) {
                return out;
            }
            Optional<Medium> p = find(m.parentUuid());
            if (p.isEmpty()) {
                throw new StorageException(m.path(), "its parent " + m.parentUuid() + " is not registered; register "
                        + "the parent image first");
            }
            m = p.get();
        }
    }

    /** Every problem in the registry: duplicate UUIDs or paths, missing files, unknown parents, parent cycles. */
    public List<RegistryFinding> validate() {
        return RegistryValidator.findings(media);
    }

    /** A change to the registry, applied by {@link #update(Change)} to its freshest state. */
    @FunctionalInterface
    public interface Change {
        void apply(MediaRegistry registry) throws IOException;
    }

    /**
     * Changes the registry safely against other Strata processes: under an exclusive host lock on
     * {@code media.json.lck}, reloads the file, applies {@code change}, saves, and returns the new state (this
     * object is left as it was). Two processes registering media at once both see their media kept.
     */
    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    public MediaRegistry update(Change change) throws IOException {
        Path home = file.getParent();
        synchronized (MediaRegistry.class) {
            try (FileChannel ch = openUpdateLock(home);
                 FileLock lock = ch.lock()) {
                MediaRegistry fresh = load(home);
                change.apply(fresh);
                fresh.save();
                return fresh;
            }
        }
    }

    /** Opens {@code media.json.lck}, creating the home; a home Strata may not write is named as such. */
    private static FileChannel openUpdateLock(Path home) throws IOException {
        try {
            Files.createDirectories(home);
            return FileChannel.open(home.resolve(FILE_NAME + ".lck"), StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (AccessDeniedException e) {
            throw unwritableHome(home, "permission denied", e);
        } catch (FileSystemException e) {
            throw unwritableHome(home, e.getReason() == null ? e.toString() : e.getReason(), e);
        }
    }

    private static StorageException unwritableHome(Path home, String reason, IOException cause) {
        return new StorageException(home, "permission denied: Strata cannot write its home folder, which holds the media "
                + "registry (" + reason + "); make it writable, or point " + StrataHome.ENV + " at a folder you can "
                + "write", cause);
    }

    /** Writes the registry: to a temporary file, forced to disk, then renamed over {@code media.json}. */
    public void save() throws IOException {
        AtomicFiles.replace(file, RegistryJson.write(media));
        LOG.debug("saved {} ({} media)", file, media.size());
    }

    /** A UUID in its usual text form, or null when the text is something else (such as a path). */
    public static UUID parseUuid(String text) {
        String t = text.trim();
        if (t.length() != 36 || t.charAt(8) != '-' || t.charAt(13) != '-') {
            return null;
        }
        try {
            return UUID.fromString(t);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The real path when the file exists (so a symbolic link finds its target's entry), else the normalized one. */
    static Path canonical(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        try {
            return Files.exists(abs) ? abs.toRealPath() : abs;
        } catch (IOException e) {
            return abs;
        }
    }
}
