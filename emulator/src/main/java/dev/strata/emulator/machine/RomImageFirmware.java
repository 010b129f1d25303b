package dev.strata.emulator.machine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** A foreign BIOS: a ROM image file run as it is, with no Java services behind it. */
public final class RomImageFirmware implements Firmware {

    private final byte[] rom;
    private final String description;

    public RomImageFirmware(byte[] rom, String description) {
        PcMachine.checkRomSize(rom.length, description);
        this.rom = rom.clone();
        this.description = description;
    }

    /**
     * Reads a BIOS image file.
     *
     * @throws IOException naming the file when it cannot be read
     * @throws IllegalArgumentException naming the file and its size when it is not 64, 128 or 256 KiB
     */
    public static RomImageFirmware load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such BIOS image file (check the --bios path)");
        }
        long size = Files.size(file);
        PcMachine.checkRomSize(size > Integer.MAX_VALUE ? -1 : (int) size, file.toString());
        return new RomImageFirmware(Files.readAllBytes(file), file.toString());
    }

    @Override
    public byte[] romImage() {
        return rom.clone();
    }

    @Override
    public void powerOn(PcHardware hardware) {
        // a foreign BIOS brings everything it needs in its ROM
    }

    @Override
    public String description() {
        return "BIOS image " + description;
    }
}
