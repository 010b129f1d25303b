package dev.strata.storage.chain;

import dev.strata.storage.StorageException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Opening chains from the top file: links found by UUID, and clear errors that change nothing. */
class ChainOpenerTest {

    private static final long SIZE = 64 * 1024;

    @TempDir
    Path folder;

    private MemoryStore store;
    private ChainOpener opener;

    @BeforeEach
    void setUp() {
        store = new MemoryStore(folder);
        opener = new ChainOpener(store, new FolderParentResolver(store, Set.of("vdi")));
    }

    @Test
    void opensTheWholeChainWithOnlyTheTopWritable() throws IOException {
        MemoryImage.Content base = store.create("base.vdi", SIZE, 4096, null);
        MemoryImage.Content mid = store.create("mid.vdi", SIZE, 4096, base.uuid);
        MemoryImage.Content top = store.create("top.vdi", SIZE, 4096, mid.uuid);
        store.create("unrelated.vdi", SIZE, 4096, null);
        try (DiskChain chain = opener.open(store.path("top.vdi"), false)) {
            assertEquals(3, chain.depth());
            assertEquals(base.uuid, chain.layer(0).uuid());
            assertEquals(mid.uuid, chain.layer(1).uuid());
            assertEquals(top.uuid, chain.top().uuid());
            assertFalse(chain.top().readOnly());
            assertTrue(chain.layer(0).readOnly() && chain.layer(1).readOnly());
        }
        assertEquals(0, store.openHandles(), "closing the chain closes every layer");
        assertEquals(0, store.changes(), "opening changes nothing");
    }

    @Test
    void aParentNoResolverKnowsIsFoundWhereTheChildsFormatRecordsItsFileName() throws IOException {
        Files.createDirectories(store.path("bases"));
        MemoryImage.Content base = store.create("bases/base.img", SIZE, 4096, null);
        MemoryImage.Content top = store.create("top.vdi", SIZE, 4096, base.uuid);
        top.parentHint = "bases/base.img"; // the folder resolver looks for *.vdi beside the child only
        try (DiskChain chain = opener.open(store.path("top.vdi"), false)) {
            assertEquals(2, chain.depth());
            assertEquals(base.uuid, chain.layer(0).uuid());
        }
        assertEquals(0, store.openHandles());
    }

    @Test
    void aFileNameHintLeadingToAnImageWithAnotherUuidIsRefused() throws IOException {
        store.create("decoy.img", SIZE, 4096, null);
        UUID expected = UUID.randomUUID();
        store.create("top.vdi", SIZE, 4096, expected).parentHint = "decoy.img";
        StorageException e = assertThrows(StorageException.class, () -> opener.open(store.path("top.vdi"), false));
        assertTrue(e.getMessage().contains(expected.toString()) && e.getMessage().contains("decoy.img"),
                e.getMessage());
        assertNothingChanged();
    }

    @Test
    void missingParentNamesTheChildAndTheParentUuid() throws IOException {
        MemoryImage.Content base = store.create("base.vdi", SIZE, 4096, null);
        store.create("top.vdi", SIZE, 4096, base.uuid);
        store.files.remove(store.path("base.vdi"));
        Files.delete(store.path("base.vdi"));
        StorageException e = assertThrows(StorageException.class, () -> opener.open(store.path("top.vdi"), false));
        assertTrue(e.getMessage().contains("top.vdi") && e.getMessage().contains(base.uuid.toString())
                && e.getMessage().contains("missing"), e.getMessage());
        assertNothingChanged();
    }

    @Test
    void parentWithAnotherUuidIsRefused() throws IOException {
        MemoryImage.Content other = store.create("other.vdi", SIZE, 4096, null);
        UUID expected = UUID.randomUUID();
        store.create("top.vdi", SIZE, 4096, expected);
        // A registry with a stale record: it says the parent is other.vdi.
        ChainOpener stale = new ChainOpener(store, (uuid, child) -> store.path("other.vdi"));
        StorageException e = assertThrows(StorageException.class, () -> stale.open(store.path("top.vdi"), false));
        assertTrue(e.getMessage().contains(expected.toString()) && e.getMessage().contains(other.uuid.toString())
                && e.getMessage().contains("other.vdi"), e.getMessage());
        assertNothingChanged();
    }

    @Test
    void resolverPointingAtAMissingFileIsReportedAsMissingParent() throws IOException {
        store.create("top.vdi", SIZE, 4096, UUID.randomUUID());
        ChainOpener stale = new ChainOpener(store, (uuid, child) -> store.path("gone.vdi"));
        StorageException e = assertThrows(StorageException.class, () -> stale.open(store.path("top.vdi"), true));
        assertTrue(e.getMessage().contains("gone.vdi") && e.getMessage().contains("missing"), e.getMessage());
        assertNothingChanged();
    }

    @Test
    void cycleIsRefusedNamingTheImagesInIt() throws IOException {
        MemoryImage.Content a = store.create("a.vdi", SIZE, 4096, null);
        MemoryImage.Content b = store.create("b.vdi", SIZE, 4096, a.uuid);
        a.parentUuid = b.uuid;
        StorageException e = assertThrows(StorageException.class, () -> opener.open(store.path("b.vdi"), false));
        assertTrue(e.getMessage().contains("parent loop: b.vdi \u2192 a.vdi \u2192 b.vdi"), e.getMessage());
        assertNothingChanged();
    }

    @Test
    void imageNamingItselfIsACycle() throws IOException {
        MemoryImage.Content a = store.create("a.vdi", SIZE, 4096, null);
        a.parentUuid = a.uuid;
        StorageException e = assertThrows(StorageException.class, () -> opener.open(store.path("a.vdi"), true));
        assertTrue(e.getMessage().contains("parent loop: a.vdi \u2192 a.vdi"), e.getMessage());
        assertNothingChanged();
    }

    @Test
    void sizeMismatchNamesBothFilesAndSizes() throws IOException {
        MemoryImage.Content base = store.create("base.vdi", SIZE * 2, 4096, null);
        store.create("top.vdi", SIZE, 4096, base.uuid);
        StorageException e = assertThrows(StorageException.class, () -> opener.open(store.path("top.vdi"), false));
        assertTrue(e.getMessage().contains("base.vdi") && e.getMessage().contains("top.vdi")
                && e.getMessage().contains(Long.toString(SIZE * 2)) && e.getMessage().contains(Long.toString(SIZE)),
                e.getMessage());
        assertNothingChanged();
    }

    @Test
    void chainDeeperThanTheLimitIsRefused() throws IOException {
        UUID parent = store.create("l0.vdi", SIZE, 4096, null).uuid;
        for (int i = 1; i < 6; i++) {
            parent = store.create("l" + i + ".vdi", SIZE, 4096, parent).uuid;
        }
        ChainOpener shallow = new ChainOpener(store, new FolderParentResolver(store, Set.of("vdi")), 5);
        StorageException e = assertThrows(StorageException.class, () -> shallow.open(store.path("l5.vdi"), false));
        assertTrue(e.getMessage().contains("deeper than 5"), e.getMessage());
        assertNothingChanged();
        try (DiskChain chain = new ChainOpener(store, new FolderParentResolver(store, Set.of("vdi")), 6)
                .open(store.path("l5.vdi"), false)) {
            assertEquals(6, chain.depth());
        }
    }

    @Test
    void twoFilesWithTheParentsUuidAreAnError() throws IOException {
        MemoryImage.Content base = store.create("base.vdi", SIZE, 4096, null);
        store.create("copy.vdi", SIZE, 4096, null).uuid = base.uuid;
        store.create("top.vdi", SIZE, 4096, base.uuid);
        StorageException e = assertThrows(StorageException.class, () -> opener.open(store.path("top.vdi"), false));
        assertTrue(e.getMessage().contains("base.vdi") && e.getMessage().contains("copy.vdi"), e.getMessage());
        assertNothingChanged();
    }

    @Test
    void missingTopIsAnError() {
        assertThrows(IOException.class, () -> opener.open(store.path("nothing.vdi"), false));
        assertEquals(0, store.openHandles());
    }

    private void assertNothingChanged() {
        assertEquals(0, store.openHandles(), "a failed open closes what it opened");
        assertEquals(0, store.changes(), "a failed open changes nothing");
    }
}
