package dev.strata.emulator.vm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.strata.storage.StorageException;
import dev.strata.storage.media.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;

/** The VMs a Strata home knows: {@code <home>/vms.json}, VM name to VM folder. */
public final class VmRegistry {
    /** The registry's file name inside the Strata home. */
    public static final String FILE_NAME = "vms.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path home;

    public VmRegistry(Path home) {
        this.home = home.toAbsolutePath().normalize();
    }

    public Path home() {
        return home;
    }

    public Path file() {
        return home.resolve(FILE_NAME);
    }

    /** Name to folder, sorted by name. */
    public Map<String, Path> all() throws StorageException {
        Path f = file();
        Map<String, Path> out = new TreeMap<>();
        if (!Files.exists(f)) {
            return out;
        }
        Map<String, String> raw;
        try {
            raw = JSON.readValue(f.toFile(), new TypeReference<Map<String, String>>() { });
        } catch (JsonProcessingException e) {
            throw new StorageException(f, "is not a valid VM registry (" + e.getOriginalMessage() + "); fix it by hand"
                    + " (Strata left it as it is)", e);
        } catch (IOException e) {
            throw new StorageException(f, "cannot read the VM registry: " + e.getMessage(), e);
        }
        if (raw != null) {
            raw.forEach((k, v) -> out.put(k, Path.of(v)));
        }
        return out;
    }

    /** The folder of VM {@code name}, or an error listing how to create it. */
    public Path folder(String name) throws StorageException {
        Path p = all().get(name);
        if (p == null) {
            throw new StorageException(file(), "no VM named '" + name + "'; see `strata vm list` or create it with "
                    + "`strata vm create " + name + "`");
        }
        return p;
    }

    /** Adds {@code name}; refuses a name already taken. */
    public void add(String name, Path folder) throws IOException {
        change(map -> {
            if (map.containsKey(name)) {
                throw new StorageException(file(), "a VM named '" + name + "' already exists (in " + map.get(name)
                        + "); pick another name or delete it first");
            }
            map.put(name, folder.toAbsolutePath().normalize().toString());
        });
    }

    public void remove(String name) throws IOException {
        change(map -> map.remove(name));
    }

    private interface Edit {
        void apply(Map<String, String> map) throws IOException;
    }

    @SuppressWarnings("try") // the lock is held by the try block
    private void change(Edit edit) throws IOException {
        synchronized (VmRegistry.class) {
            Files.createDirectories(home);
            try (FileChannel ch = FileChannel.open(home.resolve(FILE_NAME + ".lck"), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
                 FileLock lock = ch.lock()) {
                Map<String, String> map = new TreeMap<>();
                all().forEach((k, v) -> map.put(k, v.toString()));
                edit.apply(map);
                AtomicFiles.replace(file(), JSON.writeValueAsBytes(map));
            }
        }
    }
}
