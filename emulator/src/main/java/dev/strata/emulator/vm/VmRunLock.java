package dev.strata.emulator.vm;

import dev.strata.storage.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The lock a process holds on a VM folder while it runs the VM or changes its snapshots. The host drops it when the
 * process dies, even by SIGKILL, so a settings file that says Running without a holder of this lock is a crashed VM.
 * The lock file and the pid file exist only while the lock is held: {@link #close()} removes them, and
 * {@link #tidyStale} removes what a killed process left.
 */
public final class VmRunLock implements AutoCloseable {
    static final String LOCK_FILE = "vm.run.lck";
    static final String PID_FILE = "vm.pid";
    /** Attempts to lock a lock file that another process deletes at the same moment. */
    private static final int ATTEMPTS = 5;
    /** How often, and how far apart, a start tries again while the lock is busy. */
    private static final int BUSY_RETRIES = 20;
    private static final long BUSY_RETRY_MILLIS = 50;

    /**
     * Folders this JVM holds locked. They are never opened again while held: closing any descriptor of the lock
     * file would drop the POSIX lock this process holds on it.
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path folder;
    private final FileChannel channel;
    private final FileLock lock;

    private VmRunLock(Path folder, FileChannel channel, FileLock lock) {
        this.folder = folder;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the lock or fails naming the process that runs the VM. */
    public static VmRunLock acquire(Path folder, String name) throws IOException {
        VmRunLock l = tryAcquire(folder);
        // Another command may hold the lock for a moment to look (held, tidyStale): give it time to let go.
        for (int wait = 0; l == null && wait < BUSY_RETRIES; wait++) {
            try {
                Thread.sleep(BUSY_RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            l = tryAcquire(folder);
        }
        if (l == null) {
            throw new StorageException(folder.resolve(LOCK_FILE), "VM '" + name + "' is already running, or"
                    + " busy with a snapshot operation, in another Strata process" + pidText(folder) + "; wait for it, or"
                    + " stop a running VM with `strata vm control " + name + " poweroff`");
        }
        Files.writeString(folder.resolve(PID_FILE), ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        return l;
    }

    /** The lock, or null when another holder has it. */
    private static VmRunLock tryAcquire(Path folder) throws IOException {
        if (HELD_HERE.contains(key(folder))) {
            return null;
        }
        Path file = folder.resolve(LOCK_FILE);
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            Object before = fileKey(file);
            if (before == null) {
                try {
                    Files.createFile(file);
                } catch (FileAlreadyExistsException e) {
                    // another process made it first: lock that one
                }
                continue;
            }
            FileChannel ch;
            try {
                ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (NoSuchFileException e) {
                continue;
            }
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null;
            }
            if (l == null) {
                ch.close();
                return null;
            }
            // The holder before us deletes the file before it unlocks: we hold the lock only if the path still
            // names the file we opened. Compared by stat, never by opening the file again, since closing any
            // descriptor of a file drops this process's POSIX locks on it.
            if (before.equals(fileKey(file))) {
                if (HELD_HERE.add(key(folder))) {
                    return new VmRunLock(folder, ch, l);
                }
                l.release(); // another thread of this JVM won the same folder meanwhile
                ch.close();
                return null;
            }
            l.release();
            ch.close();
        }
        return null;
    }

    private static Path key(Path folder) {
        return folder.toAbsolutePath().normalize();
    }

    /** The file's identity (device and inode), or null when there is no such file. */
    private static Object fileKey(Path file) throws IOException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** True when some process (this one included) runs the VM in {@code folder}. */
    public static boolean held(Path folder) {
        if (HELD_HERE.contains(key(folder))) {
            return true;
        }
        Path f = folder.resolve(LOCK_FILE);
        if (!Files.exists(f)) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return true;
            }
            l.release();
            return false;
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Removes the lock file, pid file and control socket a killed process left in {@code folder}; does nothing
     * while a process holds the lock, or when there is nothing to tidy.
     */
    public static void tidyStale(Path folder) throws IOException {
        if (!Files.exists(folder.resolve(LOCK_FILE)) && !Files.exists(folder.resolve(PID_FILE))
                && !Files.exists(folder.resolve(VirtualMachine.CONTROL_SOCKET))) {
            return;
        }
        VmRunLock l = tryAcquire(folder);
        if (l != null) {
            Files.deleteIfExists(folder.resolve(VirtualMachine.CONTROL_SOCKET));
            l.close();
        }
    }

    private static String pidText(Path folder) {
        try {
            return " (pid " + Files.readString(folder.resolve(PID_FILE)).trim() + ")";
        } catch (IOException e) {
            return "";
        }
    }

    /** Releases the lock, leaving no lock or pid file behind. */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(folder.resolve(PID_FILE));
            Files.deleteIfExists(folder.resolve(LOCK_FILE)); // while still locked: see tryAcquire
            lock.release();
        } finally {
            channel.close();
            HELD_HERE.remove(key(folder));
        }
    }
}
