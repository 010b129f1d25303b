package dev.strata.emulator.vm;

import java.util.List;
import java.util.Optional;

/** The kind of drive an attachment is: what it is called in vm.json and on the command line, and what it holds. */
public enum DriveType {
    /** A hard disk: any format Strata reads, differencing chains included; snapshots give it diffs. */
    HDD("hdd", "hard disk"),
    /** A CD/DVD drive: one read-only image. */
    DVD("dvd", "CD/DVD drive"),
    /** A floppy drive: one image the drive writes in place. */
    FDD("fdd", "floppy drive");

    private final String key;
    private final String label;

    DriveType(String key, String label) {
        this.key = key;
        this.label = label;
    }

    /** "hard disk" and the like, for messages. */
    public String label() {
        return label;
    }

    /** The name in vm.json and in {@code --type}. */
    public String key() {
        return key;
    }

    /** True for drives whose medium snapshots freeze and cover with a differencing image (as VirtualBox's disks). */
    public boolean takesSnapshotDiffs() {
        return this == HDD;
    }

    /** The drive type called {@code key}, if there is one. */
    public static Optional<DriveType> of(String key) {
        return Keys.find(values(), DriveType::key, key);
    }

    /** "hdd, dvd or fdd", for messages. */
    public static String keys() {
        return Keys.list(List.of(values()), DriveType::key);
    }
}
