package dev.strata.emulator.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import org.junit.jupiter.api.Test;

/** How state classes may change between builds while files saved by the earlier build still load. */
class StateSchemaEvolutionTest {

    @StateClass("test.counter")
    static final class Before {
        @StateField("count") int counter;
    }

    /** {@link Before} after its field was renamed: the key stays. */
    @StateClass("test.counter")
    static final class Renamed {
        @StateField("count") int tally;
    }

    /** {@link Before} at section version 2, with a field that version 1 files lack. */
    @StateClass("test.counter")
    static final class WithLimit implements StateLoadHook {
        @StateField("count") int counter;
        @StateField(value = "limit", since = 2) int limit = -1;

        @Override
        public void afterLoad(int savedVersion, StateReader r) {
            if (savedVersion < 2) {
                limit = counter * 2; // what version 1 implied
            }
        }
    }

    /** {@link Before} with the field a newer build added. */
    @StateClass("test.counter")
    static final class Newer {
        @StateField("count") int counter;
        @StateField("extra") int extra;
    }

    /** {@link Newer} after "extra" was dropped again: files that have it still load. */
    @StateClass(value = "test.counter", retired = "extra")
    static final class Retiring {
        @StateField("count") int counter;
    }

    @StateClass("test.fifo")
    static final class HostQueue {
        @StateField("queue") final ArrayDeque<Integer> queue = new ArrayDeque<>();
    }

    @StateClass("test.undeclared")
    static final class Undeclared {
        @StateField("count") int counter;
        int forgotten;
    }

    @StateClass("test.holder")
    static final class Holder {
        @StateField("count") int counter;
        @StateField(value = "aux", optional = true) Before aux;
    }

    private static byte[] save(Object device) {
        return StateRoundTrip.save(w -> FieldCodec.save(device, w));
    }

    private static StateReader file(byte[] bytes, int version) {
        return new StateReader(bytes, "old.sav", "device", 100, null, version);
    }

    @Test
    void aRenamedJavaFieldWithItsKeyUnchangedStillLoadsAndKeepsTheSchema() throws Exception {
        Before old = new Before();
        old.counter = 41;
        Renamed now = new Renamed();
        FieldCodec.load(now, file(save(old), 1));
        assertEquals(41, now.tally);
        assertEquals(StateSchema.of(Before.class).describe(), StateSchema.of(Renamed.class).describe(),
                "the schema fingerprint does not see Java names");
    }

    @Test
    void aFieldNewerThanTheFileKeepsItsValueAndTheLoadHookMigratesIt() throws Exception {
        Before old = new Before();
        old.counter = 5;
        WithLimit now = new WithLimit();
        FieldCodec.load(now, file(save(old), 1));
        assertEquals(5, now.counter);
        assertEquals(10, now.limit);
    }

    @Test
    void aFileOfTheNewVersionWithoutTheNewFieldIsRefusedByName() {
        StateFileException e = assertThrows(StateFileException.class,
                () -> FieldCodec.load(new WithLimit(), file(save(new Before()), 2)));
        assertTrue(e.getMessage().startsWith("old.sav: section 'device' at offset "), e.getMessage());
        assertTrue(e.getMessage().contains("field 'limit' of test.counter is missing"), e.getMessage());
    }

    @Test
    void anUnknownFieldHoldingDataIsRefusedUnlessItsKeyIsRetired() throws Exception {
        Newer newer = new Newer();
        newer.counter = 3;
        newer.extra = 7;
        byte[] bytes = save(newer);
        StateFileException e = assertThrows(StateFileException.class,
                () -> FieldCodec.load(new Before(), file(bytes, 1)));
        assertTrue(e.getMessage().contains("unknown field 'extra' of test.counter"), e.getMessage());
        Retiring retiring = new Retiring();
        FieldCodec.load(retiring, file(bytes, 1));
        assertEquals(3, retiring.counter);
    }

    @Test
    void aHostTypeTheCodecCannotWriteIsAnErrorAtSaveNamingTheField() {
        StateSchemaException e = assertThrows(StateSchemaException.class, () -> save(new HostQueue()));
        assertTrue(e.getMessage().contains("test.fifo.queue holds a java.util.ArrayDeque"), e.getMessage());
    }

    @Test
    void aFieldNeitherDeclaredNorTransientIsRefused() {
        StateSchemaException e = assertThrows(StateSchemaException.class, () -> save(new Undeclared()));
        assertTrue(e.getMessage().contains(Undeclared.class.getName() + ".forgotten is neither saved state"),
                e.getMessage());
    }

    @Test
    void anOptionalSubsectionIsWrittenOnlyWhenThereAndMayBeAbsent() throws Exception {
        Holder without = new Holder();
        byte[] bytes = save(without);
        assertTrue(!new String(bytes, StandardCharsets.ISO_8859_1).contains("aux"), "no subsection written");
        Holder target = new Holder();
        target.aux = new Before();
        FieldCodec.load(target, file(bytes, 1));
        assertNull(target.aux, "absent in the file, absent in the machine");

        Holder with = new Holder();
        with.aux = new Before();
        with.aux.counter = 9;
        Holder twin = new Holder();
        twin.aux = new Before();
        FieldCodec.load(twin, file(save(with), 1));
        assertNotNull(twin.aux);
        assertEquals(9, twin.aux.counter);
    }
}
