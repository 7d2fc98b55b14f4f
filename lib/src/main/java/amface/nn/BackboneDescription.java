package amface.nn;

import java.util.Properties;

import amface.config.ConfigKeys;
import amface.config.Setting;

/**
 * A {@link BackboneSpec} as the {@code key = value} lines of a model file's metadata, read and written by the one
 * settings parser ({@link ConfigKeys}); the spec's constructor checks the numbers.
 */
final class BackboneDescription {
    @Setting(help = "the family's model-file id", choicesOf = Backbone.Ids.class, required = true)
    public String architecture;
    @Setting(help = "input height in pixels", required = true)
    public int inputHeight;
    @Setting(help = "input width in pixels", required = true)
    public int inputWidth;
    @Setting(help = "channels per stage", required = true)
    public int[] channels;
    @Setting(help = "residual units per stage", required = true)
    public int[] units;
    @Setting(help = "embedding length", required = true)
    public int embeddingSize;
    @Setting(help = "dropout keep probability before the FC", required = true)
    public double dropoutKeep;
    @Setting(help = "channels of the stem convolution; 0: none (files of the first ResFace models lack it)")
    public int stemChannels;

    private static final ConfigKeys<BackboneDescription> KEYS = new ConfigKeys<>(BackboneDescription.class, BackboneDescription::new);

    static Properties of(BackboneSpec spec) {
        BackboneDescription d = new BackboneDescription();
        d.architecture = spec.architecture().id();
        d.inputHeight = spec.inputHeight();
        d.inputWidth = spec.inputWidth();
        d.channels = spec.channels();
        d.units = spec.units();
        d.embeddingSize = spec.embeddingSize();
        d.dropoutKeep = spec.dropoutKeep();
        d.stemChannels = spec.stemChannels();
        return KEYS.toProperties(d);
    }

    /** Reads the description's keys out of {@code p}, which may hold other metadata too. */
    static BackboneSpec read(Properties p) {
        Properties mine = new Properties();
        for (var key : KEYS.all()) if (p.containsKey(key.name())) mine.setProperty(key.name(), p.getProperty(key.name()));
        BackboneDescription d = KEYS.apply(new BackboneDescription(), mine, "backbone description");
        return new BackboneSpec(Backbone.byId(d.architecture.strip()), d.inputHeight, d.inputWidth, d.channels, d.units, d.embeddingSize,
            d.dropoutKeep, d.stemChannels);
    }
}
