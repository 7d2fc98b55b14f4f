package amface.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one resize-or-refuse rule of issue 16 defect 9 (sizes as width, height in code, HxW in messages). */
class InputFitTest {
    @Test
    void sameAspectRatioIsResizedOtherIsRefused() throws BadImageException {
        assertTrue(InputFit.fits(96, 112, 48, 56), "112x96 chips for a 56x48 model");
        assertFalse(InputFit.fits(112, 112, 96, 112), "112x112 chips into a 112x96 model");
        assertFalse(InputFit.fits(96, 112, 32, 40), "0.857 vs 0.800: more than 5% apart");
        assertTrue(InputFit.fits(100, 100, 104, 100), "4% apart");
        assertFalse(InputFit.fits(100, 100, 106, 100), "6% apart");
        assertEquals("used as they are (112x96)", InputFit.describe(96, 112, 96, 112));
        assertEquals("resized from 112x96 to 56x48 (same aspect ratio)", InputFit.describe(96, 112, 48, 56));
        assertNull(InputFit.describe(112, 112, 96, 112));

        RgbImage chip = new RgbImage(96, 112, new byte[96 * 112 * 3]);
        assertSame(chip, InputFit.apply(chip, 96, 112, "a.jpg"));
        RgbImage small = InputFit.apply(chip, 48, 56, "a.jpg");
        assertEquals(48, small.width());
        assertEquals(56, small.height());
        BadImageException e = assertThrows(BadImageException.class, () -> InputFit.apply(new RgbImage(112, 112, new byte[112 * 112 * 3]), 96, 112, "sq.jpg"));
        assertTrue(e.getMessage().startsWith("sq.jpg: is 112x112 (HxW) but the model takes 112x96: the aspect ratios differ (1.00 vs 0.86)"), e.getMessage());
    }
}
