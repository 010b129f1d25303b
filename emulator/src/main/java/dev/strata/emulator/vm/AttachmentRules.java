package dev.strata.emulator.vm;

import dev.strata.storage.StorageException;
import dev.strata.storage.media.Medium;
import dev.strata.storage.media.MediumType;
import java.nio.file.Path;

/** Which medium may go where: controller, slot and drive type against the medium's type and variant. */
public final class AttachmentRules {

    private AttachmentRules() {
    }

    /** Refuses a bad controller, slot or drive type, naming the option to change. */
    public static void checkSlot(String controller, int port, int device, String type) {
        switch (controller) {
            case "ide" -> {
                if (port < 0 || port > 1 || device < 0 || device > 1) {
                    throw new IllegalArgumentException("an IDE slot is --port 0|1 --device 0|1, got " + port + ":"
                            + device);
                }
                if (!type.equals("hdd") && !type.equals("dvd")) {
                    throw new IllegalArgumentException("--type " + type + " cannot go on IDE; use hdd or dvd");
                }
                if (type.equals("dvd") && !(port == 1 && device == 0)) {
                    throw new IllegalArgumentException("Strata's CD/DVD drive is the secondary master: use --port 1"
                            + " --device 0");
                }
            }
            case "floppy" -> {
                if (port < 0 || port > 1 || device != 0) {
                    throw new IllegalArgumentException("a floppy slot is --port 0|1 --device 0, got " + port + ":"
                            + device);
                }
                if (!type.equals("fdd")) {
                    throw new IllegalArgumentException("--type " + type + " cannot go on the floppy controller; use"
                            + " fdd");
                }
            }
            default -> throw new IllegalArgumentException("unknown controller '" + controller + "'; use ide or floppy");
        }
    }

    /** Refuses a medium its type does not allow in this drive. */
    public static void checkMedium(Medium medium, String driveType) throws StorageException {
        Path file = medium.path();
        medium.type().checkAllowedFor(file, medium.variant());
        if (driveType.equals("dvd") && medium.type() != MediumType.READONLY) {
            throw new StorageException(file, "is a " + medium.type().cliName() + " medium; a DVD drive takes readonly"
                    + " media (attach it with --mtype readonly)");
        }
        if (driveType.equals("fdd") && !(medium.type() == MediumType.NORMAL || medium.type() == MediumType.WRITETHROUGH)) {
            throw new StorageException(file, "is a " + medium.type().cliName() + " medium; a floppy drive takes normal"
                    + " or writethrough media (the floppy drive writes the image itself)");
        }
        if (!driveType.equals("dvd") && medium.isDiff()) {
            throw new StorageException(file, "is a differencing image; attach its base image (snapshots make the diffs)");
        }
    }
}
