package amface.train;

import java.util.Properties;

/**
 * Where a run stands, saved with each checkpoint: the step (batches done), the schedule epoch, the position in the
 * data stream, and the random state. Every random stream of a run (data order, crop, mirror, dropout) is a
 * function of (seed, step), so seed and step are the whole RNG state.
 *
 * @param step       batches trained
 * @param epoch      schedule epoch = step / stepsPerEpoch
 * @param dataPass   how many full passes over the data the stream has made
 * @param dataOffset position within the current pass
 * @param seed       the run's seed
 * @param classes    identities the head classifies
 * @param seconds    training time so far (wall clock, summed over sessions)
 */
public record TrainState(long step, long epoch, long dataPass, long dataOffset, long seed, int classes, double seconds) {

    public Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("format", "1");
        p.setProperty("step", Long.toString(step));
        p.setProperty("epoch", Long.toString(epoch));
        p.setProperty("dataPass", Long.toString(dataPass));
        p.setProperty("dataOffset", Long.toString(dataOffset));
        p.setProperty("seed", Long.toString(seed));
        p.setProperty("classes", Integer.toString(classes));
        p.setProperty("seconds", Double.toString(seconds));
        return p;
    }

    public static TrainState fromProperties(Properties p, String source) {
        try {
            return new TrainState(Long.parseLong(req(p, "step", source)), Long.parseLong(req(p, "epoch", source)),
                Long.parseLong(req(p, "dataPass", source)), Long.parseLong(req(p, "dataOffset", source)),
                Long.parseLong(req(p, "seed", source)), Integer.parseInt(req(p, "classes", source)),
                Double.parseDouble(req(p, "seconds", source)));
        } catch (NumberFormatException e) {
            throw new TrainingException(source + ": damaged training state: " + e.getMessage());
        }
    }

    private static String req(Properties p, String key, String source) {
        String v = p.getProperty(key);
        if (v == null) throw new TrainingException(source + ": the training state has no '" + key + "'");
        return v.strip();
    }
}
