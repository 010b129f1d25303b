package dev.strata.vm.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LineReaderTest {
    private static LineReader reader(String text, int limit) {
        return new LineReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), limit);
    }

    @Test
    void linesEndAtNewlineWithOrWithoutCarriageReturn() throws Exception {
        LineReader r = reader("one\r\ntwo\n\nthree\n", 10);
        assertEquals("one", r.next());
        assertEquals("two", r.next());
        assertEquals("", r.next());
        assertEquals("three", r.next());
        assertNull(r.next());
    }

    @Test
    void aLineOverTheLimitIsSkippedToItsEndAndTheNextOneReadsWhole() throws Exception {
        LineReader r = reader("0123456789\n01234567890123456789012345\nok\n", 10);
        assertEquals("0123456789", r.next());
        assertSame(LineReader.TOO_LONG, r.next());
        assertEquals("ok", r.next());
    }

    @Test
    void aLineCutOffByTheEndOfInputIsDropped() throws Exception {
        LineReader r = reader("whole\nhalf a requ", 100);
        assertEquals("whole", r.next());
        assertNull(r.next());
    }
}
