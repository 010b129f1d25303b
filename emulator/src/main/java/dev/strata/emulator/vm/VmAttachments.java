package dev.strata.emulator.vm;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.DiskImage;
import dev.strata.storage.image.DiskImages;
import dev.strata.storage.media.MediaRegistry;
import dev.strata.storage.media.Medium;
import dev.strata.storage.media.MediumType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * {@code strata vm attach}: puts a medium into a slot of a powered-off VM (registering the image in the media
 * registry on the way, as VBoxManage does, and setting its type when asked), or empties the slot.
 */
public final class VmAttachments {
    private final VirtualMachines vms;

    public VmAttachments(VirtualMachines vms) {
        this.vms = vms;
    }

    /**
     * Attaches {@code image} (null empties the slot) as drive type {@code driveType}; {@code mediumType}, when not
     * null, becomes the medium's type in the registry.
     */
    public Attachment attach(VirtualMachine vm, String controller, int port, int device, String driveType, Path image,
                             MediumType mediumType) throws IOException {
        AttachmentRules.checkSlot(controller, port, device, driveType);
        vm.requireStopped("change its drives");
        if (vm.settings().state == VmState.SAVED) {
            // as VirtualBox: the saved machine has these drives, and resuming on others would not fit
            throw new StorageException(vm.settingsFile(), "VM '" + vm.name() + "' is Saved, and its saved state"
                    + " expects the drives it has; resume it and power it off, or throw the state away with `strata vm"
                    + " start " + vm.name() + " --discard-state`, to change its drives");
        }
        Attachment slot = new Attachment(controller, port, device, driveType, null, null);
        detach(vm, slot);
        if (image == null) {
            vm.save();
            return null;
        }
        Path file = image.toAbsolutePath().normalize();
        if (!Files.isRegularFile(file)) {
            throw new StorageException(file, "no such image file; check the path or create it with `strata medium create`");
        }
        MediaRegistry fresh = vms.media().update(reg -> {
            Medium m = reg.findByPath(file).orElse(null);
            if (m == null) {
                m = reg.register(identify(file));
            }
            MediumType want = mediumType != null ? mediumType
                    : DriveType.of(driveType).orElse(null) == DriveType.DVD && m.type() == MediumType.NORMAL ? MediumType.READONLY : null;
            if (want != null && want != m.type()) {
                want.checkAllowedFor(m.path(), m.variant());
                reg.update(m.withType(want));
            }
        });
        Medium m = fresh.findByPath(file).orElseThrow();
        AttachmentRules.checkMedium(m, driveType);
        m.type().checkAllowedFor(m.path(), m.variant()); // a registry edited by hand may pair them wrongly
        Attachment a = new Attachment(controller, port, device, driveType, m.uuid(), m.path().toString());
        vm.settings().attachments.add(a);
        vm.save();
        return a;
    }

    /** Reads an image file's identity for the registry. */
    static Medium identify(Path file) throws IOException {
        try (DiskImage img = DiskImages.open(file, true)) {
            return Medium.identify(file, img);
        }
    }

    /** Removes what sits in {@code slot}, deleting its current diff unless a snapshot froze it. */
    private static void detach(VirtualMachine vm, Attachment slot) throws IOException {
        for (Iterator<Attachment> it = vm.settings().attachments.iterator(); it.hasNext(); ) {
            Attachment a = it.next();
            if (a.sameSlot(slot)) {
                it.remove();
                if (a.current != null && !frozen(vm, a.current)) {
                    vm.save();
                    Files.deleteIfExists(Path.of(a.current));
                }
            }
        }
    }

    private static boolean frozen(VirtualMachine vm, String file) {
        for (SnapshotNode n : vm.allSnapshots()) {
            for (Attachment a : n.attachments) {
                if (file.equals(a.current)) {
                    return true;
                }
            }
        }
        return false;
    }
}
