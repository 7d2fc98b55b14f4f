package amface.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class LiveProgressTest {

    @Test
    void showsCountRateEtaAndDetail() {
        AtomicLong now = new AtomicLong(0);
        LiveProgress p = LiveProgress.withClock(now::get);
        p.start("align <lfw>", 10);
        now.set(2_000_000_000L);
        p.update(4, "loss 1.25");
        String text = p.text();
        assertTrue(text.startsWith("align <lfw> 4/10 (40%)"), text);
        assertTrue(text.contains("2.00/s") && text.contains("ETA 0m03s") && text.contains("loss 1.25"), text);
        String html = p.html();
        assertTrue(html.contains("<progress value=\"4\" max=\"10\""), html);
        assertTrue(html.contains("align &lt;lfw&gt;"), html);
        assertEquals(MimeBundle.HTML, p.area().output().data().keySet().iterator().next());
    }

    @Test
    void aResumedJobsRateCountsOnlyItsOwnWork() {
        AtomicLong now = new AtomicLong(0);
        LiveProgress p = LiveProgress.withClock(now::get);
        p.start("train", 3000);
        p.alreadyDone(750);
        p.update(750, "resumed");
        assertFalse(p.text().contains("/s"), p.text());
        now.set(100_000_000_000L);
        p.update(850, "");
        // 100 steps in 100 s: 1/s and 2,150 steps to go, not 8.5/s from counting the earlier process's 750
        assertTrue(p.text().contains("1.00/s") && p.text().contains("ETA 35m50s"), p.text());
        p.start("train", 3000);
        now.set(200_000_000_000L);
        p.update(850, "");
        assertTrue(p.text().contains("8.50/s"), "a new start forgets the earlier job's skipped units: " + p.text());
    }

    @Test
    void throttlesRedrawsButAlwaysDrawsTheEnd() {
        AtomicLong now = new AtomicLong(0);
        LiveProgress p = LiveProgress.withClock(now::get);
        p.start("train", 1000);
        Displayed area = p.area();
        for (int i = 1; i <= 1000; i++) {
            now.addAndGet(1_000_000L); // 1 ms per step: one second in all
            p.update(i, "");
        }
        // start + one draw per 250 ms + the final step
        assertTrue(p.draws() >= 4 && p.draws() <= 6, "draws: " + p.draws());
        p.finish("1000 batches in 1 s");
        assertSame(area, p.area(), "the bar is redrawn in place");
        assertEquals("train: 1000 batches in 1 s", p.area().output().get(MimeBundle.TEXT));

        p.start("evaluate", 0); // a second job reuses the area; unknown total
        p.update(7, "");
        assertSame(area, p.area());
        assertTrue(p.text().startsWith("evaluate 7"), p.text());
        assertFalse(p.html().contains("max="), p.html());
    }

    @Test
    void worksOutsideAKernel() {
        assertFalse(Kernel.isPresent());
        LiveProgress p = LiveProgress.create();
        p.start("x", 2);
        p.update(2, "");
        p.finish("ok");
        assertNotNull(p.area().id());
    }

    @Test
    void formatsDurations() {
        assertEquals("0m05s", LiveProgress.duration(5));
        assertEquals("2m00s", LiveProgress.duration(119.6));
        assertEquals("1h01m", LiveProgress.duration(3700));
    }
}
