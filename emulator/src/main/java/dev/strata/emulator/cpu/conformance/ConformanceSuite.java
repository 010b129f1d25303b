package dev.strata.emulator.cpu.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A folder of SingleStepTests vectors: its {@code metadata.json}, its revocation list and one file per opcode
 * ({@code 00.json.gz}, {@code D1.6.json.gz}, ...), in opcode order.
 */
public final class ConformanceSuite {
    private static final Pattern FILE = Pattern.compile("((?:0F)?[0-9A-F]{2}(?:\\.[0-7])?)\\.json(?:\\.gz)?",
            Pattern.CASE_INSENSITIVE);

    private final Path dir;
    private final TestMetadata metadata;
    private final RevocationList revocations;
    private final List<OpcodeFile> files;

    /** One opcode's vector file and its key ({@code "D1.6"}). */
    public record OpcodeFile(String key, Path path) {
    }

    private ConformanceSuite(Path dir, TestMetadata metadata, RevocationList revocations, List<OpcodeFile> files) {
        this.dir = dir;
        this.metadata = metadata;
        this.revocations = revocations;
        this.files = files;
    }

    /**
     * Opens a vector folder. A missing folder or {@code metadata.json} is an IllegalArgumentException that says what
     * the folder must hold.
     */
    public static ConformanceSuite open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + ": no such directory (give the folder of SingleStepTests "
                    + "vectors, e.g. ../shared/cpu-tests/80286-real)");
        }
        Path meta = dir.resolve("metadata.json");
        if (!Files.isRegularFile(meta)) {
            throw new IllegalArgumentException(dir + ": has no metadata.json; is this a SingleStepTests vector "
                    + "folder (e.g. ../shared/cpu-tests/80286-real)?");
        }
        List<OpcodeFile> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                Matcher m = FILE.matcher(p.getFileName().toString());
                if (m.matches()) {
                    files.add(new OpcodeFile(m.group(1).toUpperCase(Locale.ROOT), p));
                }
            });
        }
        files.sort((a, b) -> a.key.compareTo(b.key) != 0 ? a.key.compareTo(b.key)
                : a.path.getFileName().toString().compareTo(b.path.getFileName().toString()));
        // keep one file per key (a folder holding both X.json and X.json.gz runs X once)
        List<OpcodeFile> unique = new ArrayList<>();
        for (OpcodeFile f : files) {
            if (unique.isEmpty() || !unique.get(unique.size() - 1).key.equals(f.key)) {
                unique.add(f);
            }
        }
        return new ConformanceSuite(dir, TestMetadata.load(meta),
                RevocationList.load(dir.resolve("revocation_list.txt")), List.copyOf(unique));
    }

    /** The folder. */
    public Path dir() {
        return dir;
    }

    /** The flag masks per opcode. */
    public TestMetadata metadata() {
        return metadata;
    }

    /** The revoked test hashes. */
    public RevocationList revocations() {
        return revocations;
    }

    /** The opcode files in opcode order. */
    public List<OpcodeFile> files() {
        return files;
    }
}
