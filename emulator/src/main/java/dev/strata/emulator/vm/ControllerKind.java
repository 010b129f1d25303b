package dev.strata.emulator.vm;

import dev.strata.emulator.machine.DriveSlot;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A storage controller as data: its name, its ports and the devices on each, the drive types it takes, and any slot
 * a drive type is bound to, and the machine bus its drives sit on. A new controller is a new constant here plus its
 * device model; the slot rules of {@code vm attach}, vm.json validation, power-on and snapshots read these
 * descriptions instead of naming controllers.
 */
public enum ControllerKind {
    /** The PIIX3's IDE function: two channels with a master and a slave; Strata's CD drive is the secondary master. */
    IDE("ide", "an IDE", "IDE", DriveSlot.Bus.IDE, List.of("primary", "secondary"), List.of("master", "slave"),
            Set.of(DriveType.HDD, DriveType.DVD), Map.of(DriveType.DVD, new int[] {1, 0})),
    /**
     * The AHCI controller, named as VirtualBox names its SATA controller: six ports with one device each, a hard
     * disk or a CD/DVD drive on any of them.
     */
    SATA("sata", "a SATA", "SATA", DriveSlot.Bus.SATA, List.of("0", "1", "2", "3", "4", "5"), List.of("0"),
            Set.of(DriveType.HDD, DriveType.DVD), Map.of()),
    /** The floppy controller: drives A: and B:, one device each. */
    FLOPPY("floppy", "a floppy", "the floppy controller", DriveSlot.Bus.FLOPPY, List.of("drive A:", "B:"),
            List.of("0"), Set.of(DriveType.FDD), Map.of());

    private final String key;
    /** "an IDE", as in "an IDE port is 0 or 1". */
    private final String label;
    /** "IDE", as in "cannot go on IDE". */
    private final String place;
    /** The machine's bus this controller's drives sit on. */
    private final DriveSlot.Bus bus;
    private final List<String> ports;
    private final List<String> devices;
    private final Set<DriveType> driveTypes;
    private final Map<DriveType, int[]> boundSlots;

    ControllerKind(String key, String label, String place, DriveSlot.Bus bus, List<String> ports,
            List<String> devices, Set<DriveType> driveTypes, Map<DriveType, int[]> boundSlots) {
        this.key = key;
        this.label = label;
        this.place = place;
        this.bus = bus;
        this.ports = ports;
        this.devices = devices;
        this.driveTypes = driveTypes;
        this.boundSlots = boundSlots;
    }

    /** The name in vm.json and in {@code --controller}. */
    public String key() {
        return key;
    }

    /** The controller called {@code key}, if there is one. */
    public static Optional<ControllerKind> of(String key) {
        return Keys.find(values(), ControllerKind::key, key);
    }

    /** "ide, sata or floppy", for messages. */
    public static String keys() {
        return Keys.list(List.of(values()), ControllerKind::key);
    }

    /**
     * Where the drive in slot {@code port}:{@code device} sits in the machine: the ports' devices numbered in turn
     * (IDE channel 1's slave is IDE drive 3, SATA port 4 is SATA port 4). The slot must be one this controller has.
     */
    public DriveSlot machineSlot(int port, int device) {
        if (port < 0 || port >= ports.size() || device < 0 || device >= devices.size()) {
            throw new IllegalArgumentException(key + " has no slot " + port + ":" + device);
        }
        return new DriveSlot(bus, port * devices.size() + device);
    }

    /**
     * The first rule a drive called {@code typeKey} in slot {@code port}:{@code device} breaks, or null; an unknown
     * drive type is one this controller does not take.
     */
    public AttachmentRules.SlotProblem slotProblem(int port, int device, String typeKey) {
        if (port < 0 || port >= ports.size()) {
            return new AttachmentRules.SlotProblem("port", "is " + port + ", but " + label + " port is "
                    + range(ports.size()) + names(ports));
        }
        if (device < 0 || device >= devices.size()) {
            return new AttachmentRules.SlotProblem("device", "is " + device + ", but " + (devices.size() == 1
                    ? label + " drive's device is always 0"
                    : label + " device is " + range(devices.size()) + names(devices)));
        }
        DriveType type = DriveType.of(typeKey).filter(driveTypes::contains).orElse(null);
        if (type == null) {
            return new AttachmentRules.SlotProblem("type", "is " + typeKey + ", which cannot go on " + place + "; use "
                    + typeKeys());
        }
        int[] bound = boundSlots.get(type);
        if (bound != null && !(port == bound[0] && device == bound[1])) {
            return new AttachmentRules.SlotProblem("port", "is " + port + " with device " + device + ", but Strata's "
                    + type.label() + " is the " + ports.get(bound[0]) + " " + devices.get(bound[1]) + ": port "
                    + bound[0] + ", device " + bound[1]);
        }
        return null;
    }

    /** " (primary, secondary)"; nothing when the slots are called by their numbers. */
    private static String names(List<String> slots) {
        for (int i = 0; i < slots.size(); i++) {
            if (!slots.get(i).equals(Integer.toString(i))) {
                return " (" + String.join(", ", slots) + ")";
            }
        }
        return "";
    }

    private static String range(int n) {
        return n == 1 ? "0" : n == 2 ? "0 or 1" : "0 to " + (n - 1);
    }

    /** The keys of the drive types this controller takes, in {@link DriveType}'s order. */
    private String typeKeys() {
        return Keys.list(EnumSet.copyOf(driveTypes), DriveType::key);
    }
}
