package dev.strata.storage.media;

import dev.strata.storage.StorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host file lock that keeps Strata processes from writing an image another one uses: exclusive for a
 * writer, shared for readers. Close it when the image is closed.
 *
 * <p>The lock is taken on a sidecar file {@code <image>.lck}, not on the image: POSIX record locks (what
 * {@link FileChannel#lock} uses on Linux) vanish when the process closes <em>any</em> descriptor of the file,
 * and the image drivers open and close their own. The sidecar is opened by this class only.
 *
 * <p>The sidecar leaves nothing behind: the last holder deletes it while it holds it exclusively (a reader first
 * trades its shared lock for an exclusive one, and leaves the file to other readers when it cannot). So a
 * process may lock a sidecar just as another deletes it and a third creates a new one, and then its lock is on
 * a file no one else can find. It notices by identity: every sidecar holds a random token, written once by its
 * first exclusive holder; after locking, the process opens the path again and keeps the lock only when both
 * descriptors read the same token. Inode numbers are no proof here, because a filesystem reuses a deleted
 * sidecar's inode number for the next file at once. Once a process holds a lock on the file the path names,
 * nobody can delete that file until it lets go.
 *
 * <p>Inside one JVM, locks on the same image are counted here, because the JVM refuses overlapping
 * {@code FileLock}s even between shared ones.
 */
public final class ImageLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImageLock.class);
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
                    LOG.debug("{}: shared lock taken again ({} holders in this process)", key, h.count);
                    return new ImageLock(key, mode, h);
                }
                throw new StorageException(key, "is already open in this Strata process"
                        + (h.mode == LockMode.EXCLUSIVE ? " for writing" : " for reading") + "; close it first");
            }
            Held fresh = lockOnHost(key, mode);
            HELD.put(key, fresh);
            LOG.debug("{}: {} lock taken", key, mode);
            return new ImageLock(key, mode, fresh);
        }
    }

    /** How often a lock is tried again when its sidecar was deleted under it; each retry means another holder left. */
    private static final int ATTEMPTS = 100;

    private static Held lockOnHost(Path image, LockMode mode) throws StorageException {
        Path lck = lockFile(image);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
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
            try {
                if (held.claim(lck)) {
                    return held;
                }
            } catch (IOException e) {
                held.releaseQuietly();
                throw new StorageException(image, "cannot use its lock file " + lck + ": " + e.getMessage(), e);
            }
            // the sidecar was deleted (and perhaps created again) by another holder meanwhile: lock what is there now
            held.releaseQuietly();
            Thread.yield();
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
                LOG.debug("{}: lock released", image);
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
        private static final String TOKEN_PREFIX = "Strata image lock ";
        /** The prefix, a UUID and a newline. */
        private static final int TOKEN_LENGTH = TOKEN_PREFIX.length() + 36 + 1;

        final LockMode mode;
        final FileChannel channel;
        FileLock lock;
        /**
         * A second descriptor of the locked sidecar, opened by path to prove the path names it. It stays open
         * while the lock is held: closing any descriptor of a file drops the process's POSIX locks on it.
         */
        FileChannel byPath;
        /** The sidecar's identity while it is held (exact then: its inode number cannot be reused while open). */
        Object key;
        int count = 1;

        Held(LockMode mode, FileChannel channel, FileLock lock) {
            this.mode = mode;
            this.channel = channel;
            this.lock = lock;
        }

        /**
         * True when the locked file is the one {@code lck} names now, proven by the token both descriptors read;
         * gives a new sidecar its token first. False when the sidecar was replaced, or another process held it
         * while this one wrote the token.
         */
        boolean claim(Path lck) throws IOException {
            String token = token(channel);
            if (token == null) {
                token = writeToken();
                if (token == null) {
                    return false;
                }
            }
            FileChannel again;
            try {
                again = FileChannel.open(lck, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return false;
            }
            if (!token.equals(token(again))) {
                closeQuietly(again); // another file: closing it leaves the lock on ours alone
                return false;
            }
            byPath = again;
            key = fileKey(lck);
            return true;
        }

        /**
         * Writes the token of a sidecar that has none (new, or left empty by a process killed before it wrote
         * one). Only an exclusive holder writes, so a reader trades its lock for that and back. Returns the token,
         * or null when another process got the file in between.
         */
        private String writeToken() throws IOException {
            if (mode == LockMode.SHARED) {
                lock.release();
                lock = channel.tryLock(0, Long.MAX_VALUE, false);
                if (lock == null) {
                    return null;
                }
            }
            String token = token(channel);
            if (token == null) {
                token = TOKEN_PREFIX + UUID.randomUUID() + "\n";
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(token.getBytes(StandardCharsets.US_ASCII)), 0);
            }
            if (mode == LockMode.SHARED) {
                lock.release();
                lock = channel.tryLock(0, Long.MAX_VALUE, true);
                if (lock == null) {
                    return null;
                }
            }
            return token;
        }

        /** The token in the sidecar {@code ch} reads, or null when it holds none (empty, partial or foreign). */
        private static String token(FileChannel ch) throws IOException {
            ByteBuffer buf = ByteBuffer.allocate(TOKEN_LENGTH + 1);
            while (buf.hasRemaining() && ch.read(buf, buf.position()) > 0) {
                // read to the end of the file or one byte past a token
            }
            String text = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
            boolean whole = text.length() == TOKEN_LENGTH && text.startsWith(TOKEN_PREFIX) && text.endsWith("\n");
            return whole ? text : null;
        }

        /**
         * Releases the lock and deletes the sidecar when no other process holds it: an exclusive holder deletes it
         * at once; a reader trades its shared lock for an exclusive one first, and leaves the file to the other
         * readers when it cannot (or when, in the gap, another process deleted it and the path names a new one).
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
            if (byPath != null) {
                closeQuietly(byPath);
            }
        }
    }
}
