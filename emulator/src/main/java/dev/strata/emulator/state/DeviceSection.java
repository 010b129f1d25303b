package dev.strata.emulator.state;

/**
 * A device's part of a saved state: its tag in the file, the version it writes and the oldest it still reads, and
 * how it saves and loads itself. Bump the version whenever what the device writes changes ({@link StateField#since}).
 */
public record DeviceSection(String tag, int version, int oldestVersion, Saver saver, Loader loader) {

    /** Writes the device's state. */
    @FunctionalInterface
    public interface Saver {
        void save(StateWriter w);
    }

    /** Reads what {@link Saver} wrote; {@link StateReader#version()} is the file's version of the section. */
    @FunctionalInterface
    public interface Loader {
        void load(StateReader r) throws StateFileException;
    }

    public DeviceSection {
        if (tag == null || tag.isBlank() || saver == null || loader == null) {
            throw new IllegalArgumentException("a device's state section needs a tag, a saver and a loader");
        }
        if (oldestVersion < 1 || oldestVersion > version) {
            throw new IllegalArgumentException("state section '" + tag + "': oldest version " + oldestVersion
                    + " must be 1.." + version);
        }
    }

    /** A section that has had one version. */
    public static DeviceSection of(String tag, Saver saver, Loader loader) {
        return new DeviceSection(tag, 1, 1, saver, loader);
    }
}
