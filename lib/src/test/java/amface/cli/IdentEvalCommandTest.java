package amface.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

class IdentEvalCommandTest {
    @TempDir Path dir;

    /** 40 people with 2-3 images and 60 single-image people, 8-d, clustered by person. */
    private Path csv() throws IOException {
        Random rnd = new Random(5);
        StringBuilder e = new StringBuilder("path,e0,e1,e2,e3,e4,e5,e6,e7\n");
        for (int p = 0; p < 100; p++) {
            double[] c = new double[8];
            for (int k = 0; k < 8; k++) c[k] = rnd.nextGaussian();
            int images = p < 40 ? 2 + p % 2 : 1;
            for (int i = 1; i <= images; i++) {
                e.append(String.format("P%03d/P%03d_%04d.jpg", p, p, i));
                for (int k = 0; k < 8; k++) e.append(',').append((float) (c[k] + 0.4 * rnd.nextGaussian()));
                e.append('\n');
            }
        }
        Path f = dir.resolve("emb.csv");
        Files.writeString(f, e);
        return f;
    }

    @Test
    void writesTheLfwProtocolAndChartsAsJson() throws IOException {
        Path json = dir.resolve("ident.json"), charts = dir.resolve("charts");
        EvalCommandTest.Run r = EvalCommandTest.run("ident-eval", "--embeddings", csv().toString(), "--distractors", "0,10,30",
            "--json", json.toString(), "--charts", charts.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("rank-1"), r.out());
        JsonObject lfw = new JsonParser().parse(Files.readString(json)).getAsJsonObject().getAsJsonObject("lfw");
        assertEquals(32, lfw.get("enrolled").getAsInt());
        assertEquals(60, lfw.get("real_distractors").getAsInt());
        assertEquals(4, lfw.getAsJsonArray("points").size()); // 0, 10, 30 and all 60 real
        assertTrue(Files.size(charts.resolve("cmc.png")) > 1000 && Files.exists(charts.resolve("det.png")) && Files.exists(charts.resolve("rank1-vs-distractors.png")));
    }

    @Test
    void badInputGetsOneClearLine() throws IOException {
        EvalCommandTest.Run none = EvalCommandTest.run("ident-eval");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("--embeddings"), none.err());
        Path ids = dir.resolve("ids.txt");
        Files.writeString(ids, "Nobody\n");
        EvalCommandTest.Run filtered = EvalCommandTest.run("ident-eval", "--embeddings", csv().toString(), "--identities", ids.toString());
        assertEquals(2, filtered.code());
        assertTrue(filtered.err().contains("identity filter"), filtered.err());
        EvalCommandTest.Run mega = EvalCommandTest.run("ident-eval", "--megaface-probes", "x.json");
        assertEquals(2, mega.code());
        assertTrue(mega.err().contains("--megaface-distractors"), mega.err());
    }
}
