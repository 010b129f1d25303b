package dev.strata.emulator.cpu.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.emulator.cpu.Cpu;
import dev.strata.emulator.cpu.decode.Block;
import dev.strata.emulator.cpu.decode.CompiledBlock;
import dev.strata.emulator.cpu.decode.Exec;
import dev.strata.emulator.cpu.decode.Insn;
import dev.strata.emulator.io.IoBus;
import dev.strata.emulator.memory.PhysicalMemory;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

class TranslationCacheTest {

    private static final int CODE = 0x10000;

    private static final Exec NOTHING = new Exec() {
        @Override
        public void run(Cpu c, Insn i) {
        }
    };

    private static Block block(int physical) {
        Insn nop = new Insn(NOTHING, 1, 1, 0, 0, 0, false, 0, 3, 8, 8, 0, 0, 0xFFFF, false, false, 0, 0, 0, false,
                0x90);
        return new Block(new Insn[] {nop, nop}, physical, false, physical >>> 12, physical >>> 12, false);
    }

    /** A translation standing in for a real one: the cache only cares about identity and the size it is told. */
    private static CompiledBlock translation() {
        return new CompiledBlock() {
            @Override
            public int run(Cpu c, int max) {
                return 0;
            }
        };
    }

    @Test
    void theOldestTranslationsGoWhenANewOneWouldPassTheBudget() {
        TranslationCache cache = new TranslationCache(3000);
        Block a = block(CODE), b = block(CODE + 16), c = block(CODE + 32);
        cache.admit(a, translation(), 1000);
        cache.admit(b, translation(), 1000);
        cache.admit(c, translation(), 1000);
        assertTrue(a.translated() && b.translated() && c.translated(), "3,000 bytes fit a 3,000-byte budget");

        Block d = block(CODE + 48);
        cache.admit(d, translation(), 1500);

        assertFalse(a.translated(), "the oldest went first");
        assertFalse(b.translated(), "and the next, until the new one fit");
        assertTrue(c.translated() && d.translated());
        assertEquals(2, cache.evictions());
        assertEquals(2500, cache.bytes());
    }

    @Test
    void aTranslationItsBlockNoLongerRunsIsNotCountedAsAnEviction() {
        TranslationCache cache = new TranslationCache(1000);
        Block a = block(CODE);
        CompiledBlock first = translation();
        cache.admit(a, first, 600);
        assertTrue(a.dropTranslation(first), "the block lets its translation go (as when its code is written)");

        cache.admit(block(CODE + 16), translation(), 600);

        assertEquals(0, cache.evictions(), "nothing that ran was evicted");
        assertEquals(600, cache.bytes(), "the dead entry's bytes were given back");
    }

    @Test
    void theCacheDoesNotKeepTheClassOfADeadBlockLoaded() throws InterruptedException {
        TranslationCache cache = new TranslationCache(1 << 20);
        Block a = block(CODE);
        CompiledBlock t = new BlockTranslator().translate(a);
        WeakReference<Class<?>> translated = new WeakReference<>(t.getClass());
        cache.admit(a, t, 1000);
        a.dropTranslation(t);
        t = null; // only the cache's entry is left
        for (int k = 0; k < 50 && translated.get() != null; k++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(translated.get(), "the hidden class was unloaded although its entry is still in the cache");
    }

    /** A real-mode CPU running {@code code} at 1000:0000 with every block translated. */
    private static Cpu machine(byte[] code, JitMode jit) {
        PhysicalMemory mem = new PhysicalMemory(2 << 20);
        mem.setA20(true);
        Cpu c = new Cpu(mem, new IoBus());
        c.setJit(jit);
        mem.load(CODE, code);
        c.loadSegment(Cpu.CS, CODE >>> 4);
        c.loadSegment(Cpu.SS, 0x3000);
        c.r[Cpu.ESP] = 0xFFFE;
        c.eip = 0;
        return c;
    }

    @Test
    void blocksEvictedOverAndOverStillRunAsInterpreted() {
        // top: add ax,cx; jc next; next: inc dx; loop top; hlt — two blocks that evict each other's translation
        byte[] code = {0x01, (byte) 0xC8, (byte) 0x72, 0x00, 0x42, (byte) 0xE2, (byte) 0xF9, (byte) 0xF4};
        Cpu interpreted = machine(code, JitMode.OFF);
        Cpu translated = machine(code, JitMode.ALL);
        translated.setTranslationBudget(1); // room for one translation at a time
        for (Cpu c : new Cpu[] {interpreted, translated}) {
            c.r[Cpu.ECX] = 500;
            c.r[Cpu.EAX] = 0;
            c.r[Cpu.EDX] = 0;
            c.run(10_000);
            assertTrue(c.halted);
        }

        assertEquals(interpreted.r[Cpu.EAX], translated.r[Cpu.EAX]);
        assertEquals(500, translated.r[Cpu.EDX] & 0xFFFF);
        assertEquals(interpreted.instructions, translated.instructions);
        assertEquals(100.0, translated.stats().translatedPercent(), 0.0001, "every run was a translated one");
        assertTrue(translated.stats().evictedTranslations() >= 998,
                "each block evicted the other's translation at every turn: " + translated.stats());
    }
}
