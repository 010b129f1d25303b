package dev.strata.emulator.vm;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.strata.storage.StorageException;
import dev.strata.storage.media.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads and writes a VM's settings file: pretty JSON, replaced atomically, and refused with a clear message
 * (never overwritten) when it is corrupt, foreign, from a newer Strata, or breaks a rule of
 * {@link VmSettingsValidator}.
 */
public final class VmSettingsFile {
    /** The settings file's name inside the VM folder. */
    public static final String FILE_NAME = "vm.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private VmSettingsFile() {
    }

    /** Reads {@code file}; every failure names the file and what to do. */
    public static VmSettings read(Path file) throws StorageException {
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new StorageException(file, "no such VM settings file; the VM folder is incomplete (unregister the VM"
                    + " with `strata vm delete` or restore the file from a backup)");
        } catch (IOException e) {
            throw new StorageException(file, "cannot read the VM settings: " + e.getMessage(), e);
        }
        JsonNode tree;
        try {
            tree = JSON.readTree(data);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new StorageException(file, "is not valid JSON" + (at != null ? " (line " + at.getLineNr()
                    + ", column " + at.getColumnNr() + ")" : "") + ": " + e.getOriginalMessage()
                    + "; fix the file by hand or restore it from a backup (Strata left it as it is)", e);
        } catch (IOException e) {
            throw new StorageException(file, "cannot read the VM settings: " + e.getMessage(), e);
        }
        if (tree == null || !tree.isObject() || !VmSettings.FORMAT.equals(tree.path("format").asText(null))) {
            throw new StorageException(file, "is not a Strata VM settings file (field \"format\" is not \""
                    + VmSettings.FORMAT + "\"); Strata left it as it is");
        }
        int version = tree.path("version").asInt(-1);
        if (version < 1 || version > VmSettings.VERSION) {
            throw new StorageException(file, "has settings version " + tree.path("version") + ", but this Strata reads"
                    + " versions 1 to " + VmSettings.VERSION + "; use a newer Strata");
        }
        List<String> problems = VmSettingsValidator.problems(tree);
        if (!problems.isEmpty()) {
            int more = problems.size() - 1;
            throw new StorageException(file, "bad field " + problems.get(0) + (more == 0 ? "" : " (and " + more
                    + " more problem" + (more == 1 ? "" : "s") + ")") + "; fix it by hand (Strata left the file as it"
                    + " is)");
        }
        VmSettings s;
        try {
            s = JSON.treeToValue(tree, VmSettings.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String msg = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new StorageException(file, "has a bad field: " + msg + "; fix it by hand (Strata left the file as it"
                    + " is)", e);
        }
        return s;
    }

    /** Writes {@code settings} to {@code file} so that a crash leaves the old or the new file, never a mix. */
    public static void write(Path file, VmSettings settings) throws IOException {
        AtomicFiles.replace(file, JSON.writeValueAsBytes(settings));
    }
}
