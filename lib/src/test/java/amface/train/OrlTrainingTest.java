package amface.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import amface.data.IdentityDataset;
import amface.data.LfwPairs;
import amface.testing.TestPaths;

/**
 * The done-when test: a small ResFace with AM-softmax trained on 30 ORL identities reaches clearly above-chance
 * verification accuracy on pairs of the 10 held-out identities, in well under 3 minutes on 2 CPU cores.
 */
class OrlTrainingTest {

    /** All same-person pairs of the held-out people and as many different-person pairs, in 10 folds. */
    static PairVerification heldOutPairs(IdentityDataset heldOut, long seed) {
        List<IdentityDataset.Entry> entries = heldOut.entries();
        List<LfwPairs.ResolvedPair> same = new ArrayList<>();
        List<LfwPairs.ResolvedPair> different = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            for (int j = i + 1; j < entries.size(); j++) {
                IdentityDataset.Entry a = entries.get(i), b = entries.get(j);
                LfwPairs.ResolvedPair p = new LfwPairs.ResolvedPair(new LfwPairs.Pair(a.path(), b.path(), a.label() == b.label(), 0),
                    heldOut.file(a), heldOut.file(b));
                (p.pair().same() ? same : different).add(p);
            }
        }
        java.util.Collections.shuffle(different, new Random(seed));
        List<LfwPairs.ResolvedPair> pairs = new ArrayList<>(same);
        pairs.addAll(different.subList(0, same.size()));
        java.util.Collections.shuffle(pairs, new Random(seed + 1));
        return new PairVerification(pairs, 10);
    }

    @Test
    void smallResFaceOnOrlBeatsChance(@TempDir Path out) throws Exception {
        long t0 = System.nanoTime();
        IdentityDataset orl = IdentityDataset.scan(TestPaths.sharedData("orl/att_faces"));
        IdentityDataset.Split split = orl.splitByIdentity(10, 1);
        PairVerification pairs = heldOutPairs(split.heldOut(), 5);

        TrainConfig c = TrainConfig.defaults();
        c.out = out;
        c.channels = "16,32,48,64";
        c.units = "0,1,1,0";
        c.input = "40x32";
        c.embeddingSize = 64;
        c.dropoutKeep = 1;
        c.head = "am";
        c.s = 16;
        c.m = 0.25;
        c.marginWarmup = 30;
        c.optimizer = "adam";
        c.lr = 3e-3;
        c.lrPolicy = "cosine";
        c.lrFinal = 1e-4;
        c.weightDecay = 5e-4;
        c.batch = 24;
        c.steps = Integer.getInteger("amface.orl.steps", 100);
        c.checkpointEvery = 1000;
        c.cropPadding = 2;
        c.verifyEvery = 50;
        Trainer trainer = Trainer.create(c, split.train()).verifyOn(pairs);
        double before = pairs.evaluate(trainer.graph(), trainer.embeddingVertex(), 40, 32, 64).accuracyMean();
        List<String> log = new ArrayList<>();
        trainer.listener(new TrainListener() {
            @Override public void verified(long step, double accuracy, double std) {
                log.add(String.format(Locale.ROOT, "step %d: %.3f", step, accuracy));
            }
            @Override public void step(StepMetrics m) {
                if (m.step() % 10 == 0) log.add(String.format(Locale.ROOT, "step %d loss %.3f acc %.2f %.0f img/s loader %.0f img/s wait %.2f",
                    m.step(), m.loss(), m.accuracy(), m.imagesPerSecond(), m.loaderImagesPerSecond(), m.loaderWaitFraction()));
            }
        });
        TrainResult r = trainer.run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        String summary = String.format(Locale.ROOT, "ORL: untrained %.3f -> trained %.3f after %d steps, %.0f s%n%s", before,
            r.verificationAccuracy(), r.step(), seconds, String.join("\n", log));
        System.out.println(summary);
        java.nio.file.Files.writeString(TestPaths.buildDir("train-orl").resolve("summary.txt"), summary);
        assertTrue(r.verificationAccuracy() >= 0.88, summary);
        assertTrue(r.verificationAccuracy() >= before + 0.04, "training must beat the untrained network's pixel similarity: " + summary);
        // The 3-minute bound holds on the 2-core machine when it is not shared; an oversubscribed machine (other
        // jobs keeping the load above four times the cores; this test alone adds about two) only gets the time reported.
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        int cores = Runtime.getRuntime().availableProcessors();
        if (load >= 0 && load <= 4 * cores) assertTrue(seconds < 180, summary + "\n(load average " + load + ")");
        else System.out.println("time bound not checked: load average " + load + " on " + cores + " cores");
    }
}
