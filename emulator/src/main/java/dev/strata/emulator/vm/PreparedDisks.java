package dev.strata.emulator.vm;

import dev.strata.emulator.machine.DriveSlot;
import dev.strata.emulator.machine.MachineSettings;
import dev.strata.storage.chain.ParentResolver;
import dev.strata.storage.media.ImageLock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The drives of a VM ready for power-on: which file each slot opens and how, and the host locks that keep other
 * VMs off them until {@link #close()}.
 */
public final class PreparedDisks implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PreparedDisks.class);
    /** One drive: the slot, the file the machine opens (the top of its chain) and whether the guest may write. */
    public record Drive(Attachment attachment, Path file, boolean readOnly) {
    }

    private final List<Drive> drives = new ArrayList<>();
    private final List<ImageLock> locks = new ArrayList<>();
    private final ParentResolver resolver;

    PreparedDisks(ParentResolver resolver) {
        this.resolver = resolver;
    }

    void add(Drive d) {
        drives.add(d);
    }

    void hold(ImageLock lock) {
        locks.add(lock);
    }

    /** Locks {@code file} exclusively too, until {@link #close()} (a diff an online snapshot switched to). */
    public void holdExclusive(Path file) throws IOException {
        for (ImageLock l : locks) {
            if (l.image().equals(file)) {
                return;
            }
        }
        locks.add(ImageLock.acquire(file, dev.strata.storage.media.LockMode.EXCLUSIVE));
    }

    /** Where the drives' chains find their parents and formats (the VM's media). */
    public ParentResolver resolver() {
        return resolver;
    }

    public List<Drive> drives() {
        return List.copyOf(drives);
    }

    /** Puts the drives into machine settings, each in the machine slot its controller maps it to. */
    public void applyTo(MachineSettings settings) {
        settings.parentResolver(resolver);
        for (Drive d : drives) {
            Attachment a = d.attachment();
            LOG.info("{} port {} device {}: {} {}{}", a.controller, a.port, a.device, a.type, d.file(),
                    d.readOnly() ? " (read-only)" : "");
            DriveSlot slot = a.machineSlot();
            switch (a.driveType()) {
                case HDD -> settings.hardDisk(slot, d.file(), d.readOnly());
                case DVD -> settings.cdrom(slot, d.file());
                case FDD -> settings.floppy(slot.index(), d.file());
            }
        }
    }

    /** Releases the locks. */
    @Override
    public void close() throws IOException {
        for (int i = locks.size() - 1; i >= 0; i--) {
            locks.get(i).close();
        }
        locks.clear();
    }
}
