package dev.strata.emulator.vm;

import dev.strata.storage.StorageException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock a process holds on a VM folder while it runs the VM or changes its snapshots. The host drops it when the process dies, even
 * by SIGKILL, so a settings file that says Running without a holder of this lock is a crashed VM.
 */
public final class VmRunLock implements AutoCloseable {
    static final String LOCK_FILE = "vm.run.lck";
    static final String PID_FILE = "vm.pid";

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
        FileChannel ch = FileChannel.open(folder.resolve(LOCK_FILE), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null;
        }
        if (l == null) {
            ch.close();
            throw new StorageException(folder.resolve(LOCK_FILE), "VM '" + name + "' is already running, or"
                    + " busy with a snapshot operation, in another Strata process" + pidText(folder) + "; wait for it, or"
                    + " stop a running VM with `strata vm control " + name + " poweroff`");
        }
        Files.writeString(folder.resolve(PID_FILE), ProcessHandle.current().pid() + "\n", StandardCharsets.US_ASCII);
        return new VmRunLock(folder, ch, l);
    }

    /** True when some process (this one included) runs the VM in {@code folder}. */
    public static boolean held(Path folder) {
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

    private static String pidText(Path folder) {
        try {
            return " (pid " + Files.readString(folder.resolve(PID_FILE)).trim() + ")";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(folder.resolve(PID_FILE));
            lock.release();
        } finally {
            channel.close();
        }
    }
}
