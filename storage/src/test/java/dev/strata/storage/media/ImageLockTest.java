package dev.strata.storage.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.strata.storage.StorageException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageLockTest {
    @TempDir
    Path dir;

    /** Starts another JVM that holds a lock on {@code image} until the returned process's stdin is closed. */
    private Process holder(Path image, LockMode mode) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                LockHolder.class.getName(), image.toString(), mode.name())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream()));
        assertEquals("LOCKED", out.readLine(), "the holder process did not take its lock");
        return p;
    }

    private static void release(Process p) throws Exception {
        p.getOutputStream().close();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }

    @Test
    void secondWriterInAnotherProcessIsRefusedWithThePid() throws Exception {
        Path img = Files.write(dir.resolve("disk.vdi"), new byte[512]);
        Process p = holder(img, LockMode.EXCLUSIVE);
        try {
            StorageException e = assertThrows(StorageException.class, () -> ImageLock.acquire(img, LockMode.EXCLUSIVE));
            assertTrue(e.getMessage().contains("in use by another Strata process"), e.getMessage());
            assertTrue(e.getMessage().contains("close it first"), e.getMessage());
            if (Files.exists(Path.of("/proc/locks"))) {
                assertTrue(e.getMessage().contains("pid " + p.pid()), e.getMessage());
            }
            assertThrows(StorageException.class, () -> ImageLock.acquire(img, LockMode.SHARED));
        } finally {
            release(p);
        }
        try (ImageLock l = ImageLock.acquire(img, LockMode.EXCLUSIVE)) {
            assertEquals(LockMode.EXCLUSIVE, l.mode());
        }
    }

    @Test
    void readersInTwoProcessesShareButKeepWritersOut() throws Exception {
        Path img = Files.write(dir.resolve("cd.iso"), new byte[512]);
        Process p = holder(img, LockMode.SHARED);
        try {
            try (ImageLock l = ImageLock.acquire(img, LockMode.SHARED)) {
                assertEquals(img.toRealPath(), l.image());
            }
            assertThrows(StorageException.class, () -> ImageLock.acquire(img, LockMode.EXCLUSIVE));
        } finally {
            release(p);
        }
    }

    @SuppressWarnings("try") // the lock is held by the try block, not used in it
    @Test
    void sameProcessCountsSharedLocksAndRefusesASecondWriter() throws Exception {
        Path img = Files.write(dir.resolve("d.raw"), new byte[512]);
        try (ImageLock a = ImageLock.acquire(img, LockMode.SHARED); ImageLock b = ImageLock.acquire(img, LockMode.SHARED)) {
            assertThrows(StorageException.class, () -> ImageLock.acquire(img, LockMode.EXCLUSIVE));
            a.close();
            assertThrows(StorageException.class, () -> ImageLock.acquire(img, LockMode.EXCLUSIVE), "b still holds it");
        }
        try (ImageLock w = ImageLock.acquire(img, LockMode.EXCLUSIVE)) {
            StorageException e = assertThrows(StorageException.class, () -> ImageLock.acquire(img, LockMode.EXCLUSIVE));
            assertTrue(e.getMessage().contains("this Strata process"), e.getMessage());
        }
    }

    /** Runs chattr (root on ext4 and the like); false where the folder cannot be made immutable. */
    private static boolean chattr(String flag, Path p) throws Exception {
        try {
            Process c = new ProcessBuilder("chattr", flag, p.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return c.waitFor(10, TimeUnit.SECONDS) && c.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    @Test
    void readersOfImagesInAFolderNobodyCanWriteGoAheadAndWritersAreToldWhy() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("cdrom"));
        Path iso = Files.write(folder.resolve("boot.iso"), new byte[512]);
        assumeTrue(chattr("+i", folder), "needs chattr +i (root, ext4) to make a folder nobody can write");
        try {
            try (ImageLock l = ImageLock.acquire(iso, LockMode.SHARED)) {
                assertEquals(LockMode.SHARED, l.mode());
            }
            StorageException e = assertThrows(StorageException.class, () -> ImageLock.acquire(iso, LockMode.EXCLUSIVE));
            assertTrue(e.getMessage().contains("lock file"), e.getMessage());
            assertFalse(Files.exists(ImageLock.lockFile(iso)));
        } finally {
            chattr("-i", folder);
        }
    }

    @Test
    void theLastHolderDeletesTheLockFileAndAReaderLeavesItToOtherReaders() throws Exception {
        Path img = Files.write(dir.resolve("disk.vdi"), new byte[512]);
        try (ImageLock l = ImageLock.acquire(img, LockMode.EXCLUSIVE)) {
            assertTrue(Files.exists(ImageLock.lockFile(img)));
        }
        assertFalse(Files.exists(ImageLock.lockFile(img)), "a writer leaves nothing behind");
        ImageLock.acquire(img, LockMode.SHARED).close();
        assertFalse(Files.exists(ImageLock.lockFile(img)), "a lone reader leaves nothing behind");

        Process p = holder(img, LockMode.SHARED);
        try {
            ImageLock.acquire(img, LockMode.SHARED).close();
            assertTrue(Files.exists(ImageLock.lockFile(img)), "the other reader still holds it");
            assertThrows(StorageException.class, () -> ImageLock.acquire(img, LockMode.EXCLUSIVE));
        } finally {
            release(p);
        }
        assertFalse(Files.exists(ImageLock.lockFile(img)), "the last reader deleted it");
    }

    @Test
    void anEmptyOrForeignLockFileLeftByAKilledProcessIsTakenOverAndTidied() throws Exception {
        Path img = Files.write(dir.resolve("disk.vdi"), new byte[512]);
        for (byte[] leftover : new byte[][] {new byte[0], "Strata image lock 12".getBytes(), "4711\n".getBytes()}) {
            Files.write(ImageLock.lockFile(img), leftover);
            try (ImageLock l = ImageLock.acquire(img, LockMode.SHARED)) {
                assertTrue(Files.readString(ImageLock.lockFile(img)).startsWith("Strata image lock "));
            }
            assertFalse(Files.exists(ImageLock.lockFile(img)), "the reader deleted the leftover");
            Files.write(ImageLock.lockFile(img), leftover);
            ImageLock.acquire(img, LockMode.EXCLUSIVE).close();
            assertFalse(Files.exists(ImageLock.lockFile(img)), "the writer deleted the leftover");
        }
    }

    /** Starts a process that locks and releases {@code image} {@code rounds} times, checking for overlaps. */
    private Process contender(Path image, LockMode mode, int rounds) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockContender.class.getName(),
                image.toString(), mode.name(), String.valueOf(rounds)).redirectErrorStream(true).start();
    }

    @Test
    void writersAndReadersInSeveralProcessesNeverOverlapWhileLockFilesComeAndGo() throws Exception {
        Path img = Files.write(dir.resolve("contended.vdi"), new byte[512]);
        // three writers and two readers: with fewer, the deleted-and-recreated sidecar whose inode number the
        // filesystem reuses (what the token check is for) came up in fewer than one run in twenty
        Process[] ps = {contender(img, LockMode.EXCLUSIVE, 600), contender(img, LockMode.EXCLUSIVE, 600),
            contender(img, LockMode.EXCLUSIVE, 600), contender(img, LockMode.SHARED, 600),
            contender(img, LockMode.SHARED, 600)};
        int lockedRounds = 0;
        for (Process p : ps) {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "contender finished");
            String out = new String(p.getInputStream().readAllBytes()).trim();
            assertEquals(0, p.exitValue(), out);
            assertTrue(out.startsWith("OK "), out);
            lockedRounds += Integer.parseInt(out.substring(3));
        }
        assertTrue(lockedRounds > 0, "some rounds held the lock");
        assertFalse(Files.exists(ImageLock.lockFile(img)), "nothing left behind");
    }
}
