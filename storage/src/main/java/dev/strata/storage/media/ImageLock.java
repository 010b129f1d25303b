package dev.strata.storage.media;

import dev.strata.storage.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A host file lock that keeps Strata processes from writing an image another one uses: exclusive for a
 * writer, shared for readers. Close it when the image is closed.
 *
 * <p>The lock is taken on a sidecar file {@code <image>.lck}, not on the image: POSIX record locks (what
 * {@link FileChannel#lock} uses on Linux) vanish when the process closes <em>any</em> descriptor of the file,
 * and the image drivers open and close their own. The sidecar is opened by this class only.
 *
 * <p>The sidecar leaves nothing behind: the last holder deletes it while it holds it exclusively (a reader first
 * trades its shared lock for an exclusive one, and leaves the file to other readers when it cannot). A process
 * that locked a sidecar just as it was deleted holds a lock on a file no one else can find; it notices because
 * the path no longer names the file it opened, and starts again. So every lock that counts is on the file the
 * path names, and two processes still exclude each other.
 *
 * <p>Inside one JVM, locks on the same image are counted here, because the JVM refuses overlapping
 * {@code FileLock}s even between shared ones.
 */
public final class ImageLock implements AutoCloseable {
    /** Appended to the image's file name to name its lock file. */
    public static final String SUFFIX = ".lck";

    private static final Map<Path, Held> HELD = new HashMap<>();

    private final Path image;
    private final LockMode mode;
    private final Held held;
    private boolean closed;

    private ImageLock(Path image, LockMode mode, Held held) {
        this.image = image;
        this.mode = mode;
        this.held = held;
    }

    /** The sidecar lock file of {@code image}. */
    public static Path lockFile(Path image) {
        Path abs = image.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + SUFFIX);
    }

    /**
     * Takes the lock without waiting. Fails with "F is in use by another Strata process (pid N); close it
     * first" when another process holds a conflicting lock.
     */
    public static ImageLock acquire(Path image, LockMode mode) throws StorageException {
        Path key = MediaRegistry.canonical(image);
        synchronized (HELD) {
            Held h = HELD.get(key);
            if (h != null) {
                if (mode == LockMode.SHARED && h.mode == LockMode.SHARED) {
                    h.count++;
                    return new ImageLock(key, mode, h);
                }
                throw new StorageException(key, "is already open in this Strata process"
                        + (h.mode == LockMode.EXCLUSIVE ? " for writing" : " for reading") + "; close it first");
            }
            Held fresh = lockOnHost(key, mode);
            HELD.put(key, fresh);
            return new ImageLock(key, mode, fresh);
        }
    }

    /** How often a lock is tried again when its sidecar was deleted under it; each retry means another holder left. */
    private static final int ATTEMPTS = 100;

    private static Held lockOnHost(Path image, LockMode mode) throws StorageException {
        Path lck = lockFile(image);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Object before = fileKey(lck);
            FileChannel ch;
            try {
                ch = FileChannel.open(lck, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (IOException | UnsupportedOperationException e) {
                if (mode == LockMode.SHARED) {
                    return readerInReadOnlyFolder(image, lck);
                }
                throw new StorageException(image, "cannot create its lock file " + lck + " (" + e.getMessage() + "); "
                        + "make the folder writable or copy the image somewhere writable",
                        e instanceof IOException io ? io : null);
            }
            Held held = lockChannel(image, lck, ch, mode);
            Object now = fileKey(lck);
            if (now != null && now.equals(before)) {
                // the path named this file before the open and still names it after the lock: the lock is on it
                held.key = now;
                return held;
            }
            // just created (nothing to compare with), or deleted by another holder meanwhile: lock what is there now
            held.releaseQuietly();
        }
        throw new StorageException(image, "could not lock " + lck + ": it keeps being deleted and created by other "
                + "processes; try again");
    }

    /** The identity (device and inode) of the file at {@code p}, or null when there is none. */
    private static Object fileKey(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    /** Takes the host lock through {@code ch}, closing it on failure. */
    private static Held lockChannel(Path image, Path lck, FileChannel ch, LockMode mode) throws StorageException {
        FileLock lock;
        try {
            lock = ch.tryLock(0, Long.MAX_VALUE, mode == LockMode.SHARED);
        } catch (IOException | OverlappingFileLockException e) {
            closeQuietly(ch);
            throw new StorageException(image, "cannot lock " + lck + ": " + e.getMessage(), e);
        }
        if (lock == null) {
            long pid = holderPid(lck);
            closeQuietly(ch);
            throw new StorageException(image, "is in use by another Strata process" + (pid > 0 ? " (pid " + pid + ")"
                    : "") + "; close it first");
        }
        return new Held(mode, ch, lock);
    }

    /**
     * A reader's lock where the sidecar cannot be created (a CD image on read-only media, say): an existing
     * sidecar is locked through a read-only channel; without one, no Strata process can take a writer's lock
     * there either, so the reader goes ahead unlocked.
     */
    private static Held readerInReadOnlyFolder(Path image, Path lck) throws StorageException {
        if (!Files.exists(lck)) {
            return new Held(LockMode.SHARED, null, null);
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(lck, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new StorageException(image, "cannot open its lock file " + lck + ": " + e.getMessage(), e);
        }
        return lockChannel(image, lck, ch, LockMode.SHARED);
    }

    /**
     * The pid of a process holding a lock on {@code lck}, from Linux's /proc/locks (matched by inode), or -1
     * where that is not available.
     */
    static long holderPid(Path lck) {
        Path procLocks = Path.of("/proc/locks");
        try {
            Object ino = Files.getAttribute(lck, "unix:ino");
            List<String> lines = Files.readAllLines(procLocks);
            long self = ProcessHandle.current().pid();
            for (String line : lines) {
                // "1: POSIX  ADVISORY  WRITE 1234 08:01:5678 0 EOF" (blocked waiters start with "->")
                String[] f = line.trim().split("\\s+");
                if (f.length < 6 || f[1].equals("->")) {
                    continue;
                }
                String[] dev = f[5].split(":");
                if (dev.length == 3 && dev[2].equals(String.valueOf(ino))) {
                    long pid = Long.parseLong(f[4]);
                    if (pid != self) {
                        return pid;
                    }
                }
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // not Linux, or no /proc: the pid is simply unknown
        }
        return -1;
    }

    /** The image this lock protects. */
    public Path image() {
        return image;
    }

    public LockMode mode() {
        return mode;
    }

    /** Releases the lock (the host lock when this was the last holder in this JVM). */
    @Override
    public void close() {
        synchronized (HELD) {
            if (closed) {
                return;
            }
            closed = true;
            if (--held.count == 0) {
                HELD.remove(image);
                held.releaseAndTidy(lockFile(image));
            }
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing to undo
        }
    }

    /** One host lock and how many {@link ImageLock}s of this JVM share it. */
    private static final class Held {
        final LockMode mode;
        final FileChannel channel;
        FileLock lock;
        /** The sidecar's identity when it was locked, to delete only that file. */
        Object key;
        int count = 1;

        Held(LockMode mode, FileChannel channel, FileLock lock) {
            this.mode = mode;
            this.channel = channel;
            this.lock = lock;
        }

        /**
         * Releases the lock and deletes the sidecar when no other process holds it: an exclusive holder deletes it
         * at once; a reader trades its shared lock for an exclusive one first, and leaves the file to the other
         * readers when it cannot.
         */
        void releaseAndTidy(Path lck) {
            if (lock == null) {
                return; // a reader without a sidecar (read-only folder)
            }
            try {
                if (mode == LockMode.SHARED) {
                    lock.release();
                    lock = channel.tryLock(0, Long.MAX_VALUE, false);
                }
                if (lock != null && key != null && key.equals(fileKey(lck))) {
                    Files.deleteIfExists(lck);
                }
            } catch (IOException | RuntimeException e) {
                // the sidecar stays; it is harmless and the next holder may delete it
            }
            releaseQuietly();
        }

        void releaseQuietly() {
            if (lock != null) {
                try {
                    lock.release();
                } catch (IOException e) {
                    // closing the channel below releases it anyway
                }
            }
            closeQuietly(channel);
        }
    }
}
