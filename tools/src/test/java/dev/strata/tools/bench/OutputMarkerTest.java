package dev.strata.tools.bench;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class OutputMarkerTest {
    private static boolean found(String marker, String output) throws IOException {
        return new OutputMarker(marker).awaitIn(new ByteArrayInputStream(output.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void findsTheMarkerAmidOtherOutput() throws IOException {
        assertTrue(found("DONE", "C:\\>loop\r\nDONE\r\n"));
    }

    @Test
    void missingMarkerIsNotFoundWhenTheStreamEnds() throws IOException {
        assertFalse(found("DONE", "DON DOE ONE"));
    }

    @Test
    void restartsInsideAFalseStartThatOverlapsTheMarker() throws IOException {
        assertTrue(found("ABAC", "ABABAC"));
        assertTrue(found("AAB", "AAAB"));
    }

    @Test
    void markerSplitAcrossBytesFedOneByOneIsSeenOnItsLastByte() {
        OutputMarker m = new OutputMarker("OK!");
        assertFalse(m.accept('O'));
        assertFalse(m.accept('K'));
        assertTrue(m.accept('!'));
        assertTrue(m.accept('x'), "stays found");
    }
}
