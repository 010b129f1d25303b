package dev.strata.storage.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.storage.StorageException;
import dev.strata.storage.image.ImageFormat;
import dev.strata.storage.image.ImageVariant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MediaRegistryTest {
    @TempDir
    Path home;

    private Medium image(String name, UUID parent) throws IOException {
        Path p = Files.write(home.resolve(name), new byte[512]);
        return Medium.of(UUID.randomUUID(), p, ImageFormat.VDI, parent == null ? ImageVariant.STANDARD
                : ImageVariant.DIFF, parent, 1 << 20);
    }

    @Test
    void savedRegistryLoadsBackEqual() throws IOException {
        MediaRegistry reg = MediaRegistry.load(home);
        Medium base = reg.register(image("base.vdi", null).withType(MediumType.IMMUTABLE).withAutoreset(false));
        Medium child = reg.register(image("child.vdi", base.uuid()));
        reg.save();

        MediaRegistry again = MediaRegistry.load(home);
        assertEquals(List.of(base, child), again.all());
        assertEquals(List.of(child, base), again.chain(child.uuid()));
        String text = Files.readString(home.resolve(MediaRegistry.FILE_NAME));
        assertTrue(text.contains("\"type\" : \"immutable\""), text);
        assertTrue(text.contains("\n  "), "pretty-printed: " + text);
    }

    @Test
    void registeringTheSameFileTwiceIsANoOp() throws IOException {
        MediaRegistry reg = MediaRegistry.load(home);
        Medium m = reg.register(image("a.vdi", null));
        assertSame(m, reg.register(m));
        assertEquals(1, reg.all().size());
    }

    @Test
    void anotherFileWithARegisteredUuidIsAnErrorNamingBothPaths() throws IOException {
        MediaRegistry reg = MediaRegistry.load(home);
        Medium a = reg.register(image("a.vdi", null));
        Medium copy = image("copy.vdi", null);
        Medium clash = new Medium(a.uuid(), copy.path(), a.format(), a.variant(), a.type(), true, null, 512);
        StorageException e = assertThrows(StorageException.class, () -> reg.register(clash));
        assertTrue(e.getMessage().contains(a.path().toString()) && e.getMessage().contains(copy.path().toString()),
                e.getMessage());
    }

    @Test
    void duplicateUuidInTheFileIsReportedAndLookupsNameBothFiles() throws IOException {
        MediaRegistry reg = MediaRegistry.load(home);
        Medium a = reg.register(image("a.vdi", null));
        reg.save();
        Path other = Files.write(home.resolve("b.vdi"), new byte[512]);
        String text = Files.readString(reg.file());
        String entry = text.substring(text.indexOf('{', text.indexOf('[')), text.lastIndexOf('}', text.lastIndexOf(']')) + 1);
        Files.writeString(reg.file(), text.replace(entry, entry + ",\n" + entry.replace(a.path().toString(),
                other.toString())));

        MediaRegistry loaded = MediaRegistry.load(home);
        List<RegistryFinding> findings = loaded.validate();
        assertEquals(List.of(RegistryFinding.Kind.DUPLICATE_UUID), findings.stream().map(RegistryFinding::kind).toList());
        StorageException e = assertThrows(StorageException.class, () -> loaded.find(a.uuid()));
        assertTrue(e.getMessage().contains("b.vdi") && e.getMessage().contains("a.vdi"), e.getMessage());
    }

    @Test
    void missingFileIsReported() throws IOException {
        MediaRegistry reg = MediaRegistry.load(home);
        Medium a = reg.register(image("a.vdi", null));
        Files.delete(a.path());
        List<RegistryFinding> findings = reg.validate();
        assertEquals(1, findings.size());
        assertEquals(RegistryFinding.Kind.MISSING_FILE, findings.get(0).kind());
        assertTrue(findings.get(0).message().contains("a.vdi"));
    }

    @Test
    void parentCycleIsReportedAndChainWalkRefusesIt() throws IOException {
        MediaRegistry reg = MediaRegistry.load(home);
        Medium a = reg.register(image("a.vdi", null));
        Medium b = reg.register(image("b.vdi", a.uuid()));
        reg.update(a.withParent(b.uuid()));
        List<RegistryFinding> findings = reg.validate();
        assertEquals(List.of(RegistryFinding.Kind.PARENT_CYCLE), findings.stream().map(RegistryFinding::kind).toList());
        StorageException e = assertThrows(StorageException.class, () -> reg.chain(b.uuid()));
        assertTrue(e.getMessage().contains("cycle"), e.getMessage());
    }

    @Test
    void unknownParentIsReported() throws IOException {
        MediaRegistry reg = MediaRegistry.load(home);
        reg.register(image("orphan.vdi", UUID.randomUUID()));
        assertEquals(RegistryFinding.Kind.UNKNOWN_PARENT, reg.validate().get(0).kind());
    }

    @Test
    void saveReplacesTheFileByRenameAndLeavesNoTemporaryFile() throws IOException {
        MediaRegistry reg = MediaRegistry.load(home);
        reg.register(image("a.vdi", null));
        reg.save();
        Object inodeBefore = Files.getAttribute(reg.file(), "unix:ino");
        String before = Files.readString(reg.file());
        reg.register(image("b.vdi", null));
        reg.save();
        assertNotEquals(inodeBefore, Files.getAttribute(reg.file(), "unix:ino"), "rewritten in place, not renamed");
        assertNotEquals(before, Files.readString(reg.file()));
        try (Stream<Path> files = Files.list(home)) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().contains(AtomicFiles.TMP_MARK))
                    .toList());
        }
        assertEquals(2, MediaRegistry.load(home).all().size());
    }

    @Test
    void unregisterRefusesAParentWithChildren() throws IOException {
        MediaRegistry reg = MediaRegistry.load(home);
        Medium a = reg.register(image("a.vdi", null));
        reg.register(image("b.vdi", a.uuid()));
        StorageException e = assertThrows(StorageException.class, () -> reg.unregister(a.uuid()));
        assertTrue(e.getMessage().contains("b.vdi"), e.getMessage());
    }

    @Test
    void brokenJsonNamesTheLine() throws IOException {
        Files.writeString(home.resolve(MediaRegistry.FILE_NAME), "{\n \"media\": [ {,\n");
        StorageException e = assertThrows(StorageException.class, () -> MediaRegistry.load(home));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void badFieldIsNamed() throws IOException {
        Files.writeString(home.resolve(MediaRegistry.FILE_NAME), "{\"media\": [{\"uuid\": \"" + UUID.randomUUID()
                + "\", \"path\": \"/x.vdi\", \"format\": \"ZIP\", \"variant\": \"FIXED\", \"size\": 512}]}");
        StorageException e = assertThrows(StorageException.class, () -> MediaRegistry.load(home));
        assertTrue(e.getMessage().contains("media[0].format"), e.getMessage());
    }

    @Test
    void lookupAcceptsPathOrUuid() throws IOException {
        MediaRegistry reg = MediaRegistry.load(home);
        Medium a = reg.register(image("a.vdi", null));
        assertEquals(a, reg.lookup(a.uuid().toString()));
        assertEquals(a, reg.lookup(a.path().toString()));
        assertThrows(StorageException.class, () -> reg.lookup(home.resolve("nope.vdi").toString()));
    }

    @Test
    void updatesFromTwoProcessesAtOnceLoseNothing() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process other = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                RegistryWriter.class.getName(), home.toString(), "25", "other")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        RegistryWriter.main(new String[] {home.toString(), "25", "mine"});
        assertTrue(other.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, other.exitValue());
        assertEquals(50, MediaRegistry.load(home).all().size());
    }

    @Test
    void resolvesParentsFromTheRegistryThenFromTheChildsFolder() throws IOException {
        MediaRegistry reg = MediaRegistry.load(home);
        Medium a = reg.register(image("a.vdi", null));
        assertEquals(a.path(), reg.resolve(a.uuid(), home.resolve("child.vdi")));
        Path folder = Files.createDirectories(home.resolve("elsewhere"));
        UUID unregistered;
        try (var img = dev.strata.storage.image.DiskImages.create(folder.resolve("p.vdi"), ImageFormat.VDI,
                ImageVariant.STANDARD, 1 << 20)) {
            unregistered = img.uuid();
        }
        assertEquals(folder.resolve("p.vdi"), reg.resolve(unregistered, folder.resolve("child.vdi")));
        assertEquals(null, reg.resolve(UUID.randomUUID(), folder.resolve("child.vdi")));
    }
}
