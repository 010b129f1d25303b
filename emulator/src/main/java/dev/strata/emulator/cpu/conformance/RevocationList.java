package dev.strata.emulator.cpu.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/** The hashes of vectors their authors found to be wrong ({@code revocation_list.txt}); those tests are skipped. */
public final class RevocationList {
    private final Set<String> hashes;

    private RevocationList(Set<String> hashes) {
        this.hashes = hashes;
    }

    /** Reads one hash per line; blank lines and {@code #} comments are ignored. A missing file revokes nothing. */
    public static RevocationList load(Path file) throws IOException {
        Set<String> set = new HashSet<>();
        if (file != null && Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                String s = line.strip();
                int hash = s.indexOf('#');
                if (hash >= 0) {
                    s = s.substring(0, hash).strip();
                }
                if (!s.isEmpty()) {
                    set.add(s.toLowerCase(Locale.ROOT));
                }
            }
        }
        return new RevocationList(set);
    }

    /** A list revoking the given hashes. */
    public static RevocationList of(String... hashes) {
        Set<String> set = new HashSet<>();
        for (String h : hashes) {
            set.add(h.toLowerCase(Locale.ROOT));
        }
        return new RevocationList(set);
    }

    /** True when the test with this hash must not be run. */
    public boolean isRevoked(String hash) {
        return !hashes.isEmpty() && hashes.contains(hash.toLowerCase(Locale.ROOT));
    }

    /** How many hashes the list holds. */
    public int size() {
        return hashes.size();
    }
}
