package dev.strata.storage.media;

import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.nio.file.Path;
import java.util.UUID;

/** A second Strata process for {@link MediaRegistryTest}: registers N media in the given home, one update each. */
public final class RegistryWriter {
    private RegistryWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        String prefix = args[2];
        MediaRegistry reg = MediaRegistry.load(home);
        for (int i = 0; i < n; i++) {
            Path p = home.resolve(prefix + i + ".vdi");
            reg = reg.update(r -> r.register(Medium.of(UUID.randomUUID(), p, ImageFormat.VDI, ImageVariant.STANDARD,
                    null, 512)));
        }
    }
}
