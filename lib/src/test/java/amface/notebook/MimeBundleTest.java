package amface.notebook;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MimeBundleTest {

    @Test
    void pngIsBase64WithATextFallback() {
        byte[] bytes = {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff};
        MimeBundle b = MimeBundle.png(bytes, "a chart");
        assertEquals("iVBORwD/", b.get(MimeBundle.PNG));
        assertArrayEquals(bytes, b.pngBytes());
        assertEquals("a chart", b.get(MimeBundle.TEXT));
    }

    @Test
    void textOnlyHasNoPng() {
        MimeBundle b = MimeBundle.text("hi");
        assertFalse(b.has(MimeBundle.PNG));
        assertTrue(assertThrows(IllegalStateException.class, b::pngBytes).getMessage().contains("text/plain"));
    }

    @Test
    void kernelCallsAreHarmlessOutsideAKernel() {
        assertFalse(Kernel.isPresent());
        assertFalse(Kernel.isAttached());
        String id = Kernel.display(MimeBundle.text("x"));
        assertEquals(36, id.length());
        Kernel.update(id, MimeBundle.text("y"));
        Displayed d = Displayed.show(MimeBundle.text("a"));
        d.update(MimeBundle.text("b"));
        assertEquals("b", d.output().get(MimeBundle.TEXT));
    }
}
