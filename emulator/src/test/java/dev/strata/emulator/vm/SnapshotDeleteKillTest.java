package dev.strata.emulator.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.chain.DiskChain;
import dev.strata.storage.chain.FileChains;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM deleting a snapshot (a merge of several MiB) is killed with SIGKILL at varied points; the VM and its
 * media still open, the next command finishes (or never needed to start) the delete, and the guest's view of the
 * disk is exactly what it was before.
 */
class SnapshotDeleteKillTest {
    static final long SIZE = 48L << 20;
    static final int CHUNK = 64 << 10;

    @TempDir
    Path dir;

    @Test
    void aDeleteKilledAtVariedPointsLosesNothingAndIsFinishedByTheNextOpen() throws Exception {
        long[] delaysMillis = {0, 1, 20, 60, 150};
        int finished = 0;
        int interrupted = 0;
        for (long delay : delaysMillis) {
            Path home = dir.resolve("home-" + delay);
            VmFixture fx = new VmFixture(home);
            Path disk = home.resolve("big.vdi");
            java.nio.file.Files.createDirectories(home);
            try (DiskImage img = DiskImages.create(disk, ImageFormat.VDI, ImageVariant.STANDARD, SIZE)) {
                img.flush();
            }
            VirtualMachine vm = fx.vmWithDisk("vm", disk, null);
            fill(fx, vm, 1, 0, SIZE);
            SnapshotNode snap = new Snapshots(fx.vms).take(vm, "s", null, false);
            fill(fx, vm, 2, SIZE / 4, SIZE); // the current diff holds three quarters of the disk
            long before = checksum(fx, fx.vms.open("vm"));

            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), DeleteSnapshotChild.class.getName(),
                    home.toString(), "vm", snap.uuid.toString()).redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.UTF_8));
            String line = out.readLine();
            assertEquals("deleting", line, "the child JVM did not start its delete");
            if (delay > 0) {
                assertEquals("merging", out.readLine(), "the child JVM did not begin its merge");
                Thread.sleep(delay - 1);
            }
            child.destroyForcibly(); // SIGKILL on Unix
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));

            if (VmSettingsFile.read(vm.settingsFile()).pending != null) {
                interrupted++;
            }
            VirtualMachine after = fx.vms.open("vm"); // finishes an interrupted delete
            assertNull(after.settings().pending, "delay " + delay + " ms: the delete was finished");
            assertEquals(before, checksum(fx, after), "delay " + delay + " ms: the guest's disk is unchanged");
            if (!after.settings().snapshots.isEmpty()) {
                // killed before the delete was recorded: nothing changed, and the delete can simply run again
                new Snapshots(fx.vms).delete(after, after.snapshot(snap.uuid).orElseThrow(), (d, t) -> { });
                after = fx.vms.open("vm");
                assertEquals(before, checksum(fx, after), "delay " + delay + " ms: unchanged after a second delete");
            } else {
                finished++;
            }
            assertTrue(after.settings().snapshots.isEmpty(), "delay " + delay + " ms: the snapshot is gone");
        }
        assertTrue(finished >= delaysMillis.length - 1, "the kills after the merge began left the delete recorded ("
                + finished + ")");
        assertTrue(interrupted >= 1, "at least one kill landed inside the merge");
        System.out.println("snapshot delete kill test: " + interrupted + " of " + delaysMillis.length
                + " kills landed inside a merge");
    }

    /** Writes a pattern of {@code seed} over [from, to) through the VM's drive, as a guest would. */
    private static void fill(VmFixture fx, VirtualMachine vm, int seed, long from, long to) throws Exception {
        byte[] buf = new byte[CHUNK];
        Random r = new Random(seed);
        try (PreparedDisks disks = VmDisks.prepare(vm, fx.vms.media(), false);
             DiskChain chain = FileChains.opener(fx.vms.media()).open(disks.drives().get(0).file(), false)) {
            for (long at = from; at < to; at += CHUNK) {
                r.nextBytes(buf);
                chain.write(at, buf, 0, CHUNK);
            }
            chain.flush();
        }
    }

    private static long checksum(VmFixture fx, VirtualMachine vm) throws Exception {
        CRC32 crc = new CRC32();
        byte[] buf = new byte[CHUNK];
        try (PreparedDisks disks = VmDisks.prepare(vm, fx.vms.media(), false);
             DiskChain chain = FileChains.opener(fx.vms.media()).open(disks.drives().get(0).file(), true)) {
            for (long at = 0; at < SIZE; at += CHUNK) {
                Arrays.fill(buf, (byte) 0);
                chain.read(at, buf, 0, CHUNK);
                crc.update(buf);
            }
        }
        return crc.getValue();
    }

}
