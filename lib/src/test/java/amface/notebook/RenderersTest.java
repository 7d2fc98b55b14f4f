package amface.notebook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import amface.align.AlignedFace;
import amface.eval.VerificationEvaluator;
import amface.eval.VerificationResult;
import amface.image.RgbImage;
import amface.nn.BackboneSpec;
import amface.nn.FaceModel;
import amface.train.TrainConfig;

class RenderersTest {

    private static BufferedImage decode(MimeBundle m) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(m.pngBytes()));
    }

    @Test
    void everyRegisteredTypeRendersAsItsDeclaredMimeType() {
        for (Class<?> type : Renderers.types()) assertTrue(List.of(MimeBundle.PNG, MimeBundle.HTML).contains(Renderers.mimeType(type)), type.getName());
        assertEquals(MimeBundle.PNG, Renderers.mimeType(XYChart.class));
        assertEquals(MimeBundle.PNG, Renderers.mimeType(RgbImage.class));
        assertEquals(MimeBundle.HTML, Renderers.mimeType(Table.class));
        assertEquals(MimeBundle.HTML, Renderers.mimeType(TrainConfig.class));
    }

    @Test
    void backendAndConfigShowAsTablesWithText() {
        MimeBundle b = Renderers.render(TablesTest.CPU);
        assertTrue(b.get(MimeBundle.HTML).contains("<td>Test CPU (2 cores)</td>"), b.get(MimeBundle.HTML));
        assertTrue(b.has(MimeBundle.TEXT));
        TrainConfig c = TrainConfig.defaults();
        c.m = 0.2;
        String html = Renderers.render(c).get(MimeBundle.HTML);
        assertTrue(html.contains("<td>m</td>") && html.contains("0.2") && html.contains("0.35"), html);
        assertFalse(html.contains("<td>batch</td>"), "only changed settings: " + html);
        c.steps = 7; c.batch = 3; c.lr = 0.5; c.optimizer = "adam"; c.lrPolicy = "cosine"; c.channels = "4,8,8,8"; c.units = "0,0,1,0";
        c.input = "24x20"; c.embeddingSize = 16; c.s = 10; c.head = "arc"; c.marginWarmup = 5; c.checkpointEvery = 3; c.verifyEvery = 2;
        c.cropPadding = 1; c.lrFinal = 1e-4; c.stepsPerEpoch = 5; c.seed = 9; c.pairsExtension = "png"; c.out = java.nio.file.Path.of("run");
        int changed = Tables.changedSettings(c).rowCount();
        assertTrue(changed > Display.DEFAULT_TABLE_ROWS, changed + " settings changed");
        assertEquals(changed, Renderers.render(c).get(MimeBundle.HTML).split("<tr><td").length - 1, "a recipe is shown whole");
    }

    @Test
    void chartsOfAnyKindAndTablesRender() throws Exception {
        XYChart xy = new XYChartBuilder().width(200).height(150).build();
        xy.addSeries("y", new double[] {0, 1}, new double[] {0, 1});
        assertEquals(200, decode(Renderers.render(xy)).getWidth());
        CategoryChart bars = new CategoryChartBuilder().width(220).height(150).build();
        bars.addSeries("n", List.of("a", "b"), List.of(1, 2));
        assertEquals(220, decode(Renderers.render(bars)).getWidth());
        Table t = Table.create("people", StringColumn.create("name", "Ann", "Bob"));
        assertTrue(Renderers.render(t).get(MimeBundle.HTML).contains("<td>Bob</td>"));
    }

    @Test
    void smallImagesAreScaledUpByAWholeFactor() throws Exception {
        byte[] px = new byte[24 * 28 * 3];
        new Random(1).nextBytes(px);
        BufferedImage shown = decode(Renderers.render(new RgbImage(24, 28, px)));
        assertEquals(4 * 28, shown.getHeight(), "28 rows need 4x to reach 112");
        assertEquals(4 * 24, shown.getWidth());
        int rgb = (px[0] & 0xff) << 16 | (px[1] & 0xff) << 8 | (px[2] & 0xff);
        assertEquals(rgb, shown.getRGB(3, 3) & 0xffffff, "a pixel is repeated, not interpolated");
        assertEquals(1, Renderers.scaleFor(200));
        assertEquals(1, Renderers.scaleFor(112));
        assertEquals(2, Renderers.scaleFor(56));
        assertEquals(4, Renderers.scaleFor(5), "at most 4x");
        MimeBundle face = Renderers.render(new AlignedFace(new RgbImage(24, 28, px), AlignedFace.Status.values()[0], null, 1));
        assertTrue(decode(face).getHeight() >= 4 * 28, "the chip and its caption");
        assertTrue(face.get(MimeBundle.TEXT).contains("1 face"), face.get(MimeBundle.TEXT));
    }

    @Test
    void verificationResultShowsHeadlineAndFolds() {
        Random r = new Random(3);
        int n = 200;
        float[][] left = new float[n][8], right = new float[n][8];
        boolean[] same = new boolean[n];
        for (int i = 0; i < n; i++) {
            same[i] = i % 2 == 0;
            for (int d = 0; d < 8; d++) {
                left[i][d] = (float) r.nextGaussian();
                right[i][d] = same[i] ? left[i][d] + 0.5f * (float) r.nextGaussian() : (float) r.nextGaussian();
            }
        }
        VerificationResult v = VerificationEvaluator.standard().evaluate(left, right, same);
        MimeBundle m = Renderers.render(v);
        String html = m.get(MimeBundle.HTML);
        assertTrue(html.contains("accuracy") && html.contains("EER") && html.contains(String.format(java.util.Locale.ROOT, "%.4f", v.accuracyMean())), html);
        assertEquals(v.summary(), m.get(MimeBundle.TEXT));
    }

    @Test
    void faceModelShowsItsShape() {
        FaceModel model = FaceModel.create(BackboneSpec.resFace(1, 1, 1, 1).channels(8, 16, 32, 64).input(28, 24).embeddingSize(16));
        String html = Renderers.render(model).get(MimeBundle.HTML);
        assertTrue(html.contains("<td>28x24</td>") && html.contains("<td>16</td>"), html);
        assertTrue(html.contains(String.format(java.util.Locale.ROOT, "%,d", model.graph().numParams())), html);
    }

    @Test
    void aTypeWithoutRendererIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Renderers.render(42));
        assertTrue(e.getMessage().contains("java.lang.Integer"), e.getMessage());
    }
}
