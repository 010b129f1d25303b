package dev.strata.storage.media;

import java.nio.file.Path;

/**
 * One VM's use of a medium, as the media rules need to know it: which VM, in what condition, and whether the
 * use is a snapshot's (which freezes the image) or the VM's current state.
 *
 * @param vm the VM's name
 * @param settings the VM's settings file
 * @param slot the drive slot, such as "ide 0:0"
 * @param snapshot the snapshot whose attachment names the medium, or null for the VM's current attachments
 * @param frozen true when the snapshot froze this very image (later writes go to a diff over it)
 * @param condition what the VM is doing now
 */
public record MediumUse(String vm, Path settings, String slot, String snapshot, boolean frozen, Condition condition) {

    /** What the using VM is doing, as far as its disks are concerned. */
    public enum Condition {
        /** Powered off or aborted: its disks are at rest. */
        STOPPED,
        /** Saved: a saved state expects its disks exactly as they are. */
        SAVED,
        /** Running or paused in a Strata process. */
        RUNNING;
    }

    /** "VM 'dos' (ide 0:0)" or "snapshot 'clean' of VM 'dos'", for messages. */
    public String describe() {
        return snapshot != null ? "snapshot '" + snapshot + "' of VM '" + vm + "'" : "VM '" + vm + "' (" + slot + ")";
    }
}
