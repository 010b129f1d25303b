package dev.strata.emulator.device.debug;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DebugConsolePortTest {

    @Test
    void bytesWrittenToE9GoToTheSink() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DebugConsolePort port = new DebugConsolePort(DebugConsolePort.streamSink(out));
        for (byte b : "hi\n".getBytes(StandardCharsets.US_ASCII)) {
            port.writePort(0xE9, b);
        }
        port.writePort(0xE9, 0x1FF);
        port.writePort(0xEA, 'x');
        assertEquals("hi\n\u00FF", out.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void readingE9ReturnsE9AsBochsDoes() {
        DebugConsolePort port = new DebugConsolePort(b -> { });
        assertEquals(0xE9, port.readPort(0xE9));
        assertEquals(0xFF, port.readPort(0xE8));
    }
}
