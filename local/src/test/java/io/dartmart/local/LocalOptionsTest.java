package io.dartmart.local;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Local mode listens on this machine only unless --host says otherwise. */
class LocalOptionsTest {
    @Test
    void theDefaultHostIsTheLoopbackInterface() {
        assertEquals("127.0.0.1", LocalOptions.parse(new String[0]).host());
        assertEquals("0.0.0.0", LocalOptions.parse(new String[]{"--host", "0.0.0.0", "--port", "5001"}).host());
    }
}
