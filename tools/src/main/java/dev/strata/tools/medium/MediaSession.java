package dev.strata.tools.medium;

import dev.strata.emulator.vm.VirtualMachines;
import dev.strata.emulator.vm.VmMediumUsers;
import dev.strata.storage.StorageException;
import dev.strata.storage.chain.ChainOpener;
import dev.strata.storage.chain.ParentResolver;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.media.ImageLock;
import dev.strata.storage.media.LockMode;
import dev.strata.storage.media.MediaRegistry;
import dev.strata.storage.media.MediaRules;
import dev.strata.storage.media.Medium;
import dev.strata.storage.media.MediumType;
import dev.strata.storage.media.MediumUsers;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What one {@code strata medium} command works with: the media registry of the Strata home, the image
 * backend, and the host locks it holds until it ends.
 */
final class MediaSession implements AutoCloseable {
    /** Replaces the real backend (tests only). */
    static MediumBackend backendOverride;

    private MediaRegistry registry;
    private final MediumBackend backend;
    private final MediumUsers users;
    private final List<ImageLock> locks = new ArrayList<>();
    private PrintWriter notices = new PrintWriter(System.err, true);

    /** Loads the registry of {@code home}; the VMs of the same home are the media's users. */
    static MediaSession open(Path home) throws StorageException {
        return new MediaSession(MediaRegistry.load(home), backendOverride,
                new VmMediumUsers(new VirtualMachines(home)));
    }

    private MediaSession(MediaRegistry registry, MediumBackend override, MediumUsers users) {
        this.registry = registry;
        this.backend = override != null ? override : new StrataBackend(file -> this.registry.findByPath(file));
        this.users = users;
    }

    /** The rules for what the host may do to a medium, over the current registry and the home's VMs. */
    MediaRules rules() {
        return new MediaRules(registry, users);
    }

    MediaRegistry registry() {
        return registry;
    }

    MediumBackend backend() {
        return backend;
    }

    /** Parents come from the registry first, then from the child's folder (see {@link MediaRegistry#resolve}). */
    ParentResolver parents() {
        return (uuid, child) -> registry.resolve(uuid, child);
    }

    /**
     * The medium a user named by path or UUID. An image file that is not registered yet is registered on the
     * way (as VBoxManage does), after its unregistered parents, which must sit in its folder.
     */
    Medium medium(String pathOrUuid) throws IOException {
        if (MediaRegistry.parseUuid(pathOrUuid) != null) {
            return registry.lookup(pathOrUuid);
        }
        Path file = Path.of(pathOrUuid).toAbsolutePath().normalize();
        Optional<Medium> known = registry.findByPath(file);
        if (known.isPresent()) {
            return known.get();
        }
        if (!Files.exists(file)) {
            throw new StorageException(file, "no such image file and no registered medium by that name; check the "
                    + "path, or list registered media with `strata medium list`");
        }
        DiskImages.requireImageFile(file);
        return registerExisting(file);
    }

    /**
     * Registers an existing image file, reading its identity from the file itself; an unregistered parent found
     * in the child's folder is registered first.
     */
    Medium registerExisting(Path file) throws IOException {
        return registerExisting(file, new ArrayList<>());
    }

    /** {@code below}: the media being registered below this one (its children), to catch a parent loop. */
    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    private Medium registerExisting(Path file, List<Medium> below) throws IOException {
        Medium m;
        // opened before it is locked, so that a file that is no image gets no lock file beside it
        try (DiskImage img = backend.open(file, true);
             ImageLock lock = ImageLock.acquire(file, LockMode.SHARED)) {
            m = Medium.identify(file, img);
        }
        for (int i = 0; i < below.size(); i++) {
            if (below.get(i).uuid().equals(m.uuid())) {
                StringBuilder loop = new StringBuilder("parent loop: ");
                for (Medium x : below.subList(i, below.size())) {
                    loop.append(x.fileName()).append(" \u2192 ");
                }
                throw new StorageException(below.get(0).path(), loop.append(m.fileName())
                        + "; the images' parent links are damaged: restore them from a backup");
            }
        }
        Optional<Medium> sameUuid = registry.find(m.uuid());
        if (sameUuid.isPresent() && !Files.exists(sameUuid.get().path())) {
            return moved(sameUuid.get(), file);
        }
        if (m.parentUuid() != null && registry.find(m.parentUuid()).isEmpty()) {
            Path parent = registry.resolve(m.parentUuid(), file);
            if (parent == null) {
                throw new StorageException(file, "is a differencing image whose parent " + m.parentUuid() + " is "
                        + "neither registered nor in the same folder; register the parent first (e.g. `strata medium "
                        + "info PARENT-FILE`)");
            }
            if (below.size() >= ChainOpener.DEFAULT_MAX_DEPTH) {
                throw new StorageException(file, "its chain is deeper than " + below.size() + " images; merge some");
            }
            below.add(m);
            registerExisting(parent, below);
        }
        return register(m);
    }

    /**
     * Follows a medium whose registered file is gone to {@code file}, which has its UUID: it was moved (`mv`), so
     * the registry takes the new path, and says so.
     */
    private Medium moved(Medium old, Path file) throws IOException {
        Medium[] out = new Medium[1];
        change(r -> out[0] = r.relocate(old.uuid(), file));
        notices.printf("strata: %s is gone and %s has its UUID %s: the medium was moved; the registry now names %s%n",
                old.path(), out[0].path(), old.uuid(), out[0].path());
        notices.flush();
        return out[0];
    }

    /** Where notes about what a command did on the way (such as following a moved image) go: standard error. */
    void noticesTo(PrintWriter err) {
        notices = err;
    }

    /** The type that governs a medium: a differencing image behaves as its base image's type says. */
    MediumType effectiveType(Medium m) throws StorageException {
        List<Medium> chain = registry.chain(m.uuid());
        return chain.get(chain.size() - 1).type();
    }

    /** Fails unless the medium's file is there. */
    void requireFile(Medium m) throws StorageException {
        if (!Files.isRegularFile(m.path())) {
            throw new StorageException(m.path(), "is registered (UUID " + m.uuid() + ") but the file is missing; "
                    + "restore it, or forget it with `strata medium close " + m.uuid() + "`");
        }
    }

    /**
     * Locks {@code top} and its registered ancestors for this session: ancestors shared (they are only read),
     * the top exclusive when writing (shared for a shareable medium).
     */
    void lockChain(Medium top, boolean writing) throws IOException {
        List<Medium> chain = registry.chain(top.uuid());
        for (Medium m : chain) {
            requireFile(m);
        }
        lock(top, writing ? effectiveType(top).lockFor(true) : LockMode.SHARED);
        for (Medium m : chain.subList(1, chain.size())) {
            lock(m, LockMode.SHARED);
        }
    }

    /**
     * Makes sure no other Strata process has the image open (for changing its entry: type, close): an exclusive
     * lock. In a folder nobody can write there is no lock file to take; a shared lock then still refuses while
     * a writer holds an existing one.
     */
    void lockAgainstOthers(Medium m) throws StorageException {
        Path folder = m.path().getParent();
        lock(m, folder != null && Files.isWritable(folder) ? LockMode.EXCLUSIVE : LockMode.SHARED);
    }

    /** Locks one image for this session. */
    void lock(Medium m, LockMode mode) throws StorageException {
        locks.add(ImageLock.acquire(m.path(), mode));
    }

    /** Opens the disk {@code m} shows (its chain), after {@link #lockChain}. */
    DiskImage openDisk(Medium m, boolean writing) throws IOException {
        lockChain(m, writing);
        return backend.openChain(m.path(), !writing, parents());
    }

    /** Applies a change to the registry under its update lock (see {@link MediaRegistry#update}). */
    void change(MediaRegistry.Change change) throws IOException {
        registry = registry.update(change);
    }

    /** Registers a medium (a no-op when it already is) and returns its entry. */
    Medium register(Medium m) throws IOException {
        Medium[] out = new Medium[1];
        change(r -> out[0] = r.register(m));
        return out[0];
    }

    @Override
    public void close() {
        for (int i = locks.size() - 1; i >= 0; i--) {
            locks.get(i).close();
        }
        locks.clear();
    }
}
