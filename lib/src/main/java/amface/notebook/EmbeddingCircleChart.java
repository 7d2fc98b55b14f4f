package amface.notebook;

import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import amface.data.IdentityDataset;

/**
 * The paper's picture of a 2-D embedding: every feature a dot coloured by person, on the unit circle the normalised
 * heads work on (or as the raw features), and the angles that say what the picture shows — the smallest angle
 * between two people's centres and the mean angle of a feature from its own person's centre.
 * <pre>{@code
 * EmbeddingCircleChart softmax = EmbeddingCircleChart.of("softmax", model.embed(images), people);
 * Display.charts(List.of(softmax.raw(), softmax.onCircle()));
 * Display.table(EmbeddingCircleChart.anglesTable(List.of(softmax, normface, am)));
 * }</pre>
 * A person's centre is the direction of the sum of their unit-length features; angles are measured on the circle
 * (a difference of 350° is 10°).
 */
public final class EmbeddingCircleChart {
    private static final int RING_POINTS = 180;

    private final String title;
    private final float[][] features;
    private final int[] labels;
    private final List<String> names;

    /** The angles measured on one embedding, in degrees. */
    public record Angles(double smallestBetweenPeople, double meanToOwnCentre) {
        /** How many times wider the narrowest gap between people is than a person's spread (larger: better separated). */
        public double ratio() {
            return smallestBetweenPeople / meanToOwnCentre;
        }
    }

    private EmbeddingCircleChart(String title, float[][] features, int[] labels, List<String> names) {
        this.title = Objects.requireNonNull(title, "title");
        if (features.length != labels.length) throw new IllegalArgumentException(features.length + " features but " + labels.length + " labels");
        if (names.size() < 2) throw new IllegalArgumentException("the angles between people need at least two people, got " + names.size());
        boolean[] seen = new boolean[names.size()];
        for (int i = 0; i < features.length; i++) {
            if (features[i].length != 2) throw new IllegalArgumentException("feature " + i + " has " + features[i].length + " dimensions; the circle needs 2");
            if (features[i][0] == 0 && features[i][1] == 0) throw new IllegalArgumentException("feature " + i + " is (0, 0): it has no direction");
            if (labels[i] < 0 || labels[i] >= names.size()) throw new IllegalArgumentException("label " + labels[i] + " of feature " + i + " is not one of the " + names.size() + " people");
            seen[labels[i]] = true;
        }
        for (int k = 0; k < seen.length; k++) if (!seen[k]) throw new IllegalArgumentException("person '" + names.get(k) + "' has no feature");
        this.features = features;
        this.labels = labels;
        this.names = List.copyOf(names);
    }

    /** 2-D {@code features} with the person index of each ({@code labels[i]} indexes {@code names}). */
    public static EmbeddingCircleChart of(String title, float[][] features, int[] labels, List<String> names) {
        return new EmbeddingCircleChart(title, features, labels.clone(), names);
    }

    /** The features of {@code people}'s images, in the dataset's order. */
    public static EmbeddingCircleChart of(String title, float[][] features, IdentityDataset people) {
        int[] labels = new int[people.size()];
        for (int i = 0; i < labels.length; i++) labels[i] = people.get(i).label();
        return new EmbeddingCircleChart(title, features, labels, people.identities());
    }

    public String title() { return title; }

    /** The features as they are (softmax's length carries part of its decision), with the unit circle for scale. */
    public XYChart raw() {
        return chart(false);
    }

    /** The features scaled to unit length: what a normalised head compares. */
    public XYChart onCircle() {
        return chart(true);
    }

    /** The direction of each person's centre, in radians in (-π, π]. */
    public double[] centres() {
        double[] sx = new double[names.size()], sy = new double[names.size()];
        for (int i = 0; i < features.length; i++) {
            double n = Math.hypot(features[i][0], features[i][1]);
            sx[labels[i]] += features[i][0] / n;
            sy[labels[i]] += features[i][1] / n;
        }
        double[] c = new double[names.size()];
        for (int k = 0; k < c.length; k++) c[k] = Math.atan2(sy[k], sx[k]);
        return c;
    }

    /** The smallest angle between two people's centres and the mean angle of a feature from its own centre. */
    public Angles angles() {
        double[] centre = centres();
        double gap = Double.MAX_VALUE;
        for (int a = 0; a < centre.length; a++) {
            for (int b = a + 1; b < centre.length; b++) gap = Math.min(gap, between(centre[a], centre[b]));
        }
        double within = 0;
        for (int i = 0; i < features.length; i++) within += between(Math.atan2(features[i][1], features[i][0]), centre[labels[i]]);
        return new Angles(Math.toDegrees(gap), Math.toDegrees(within / features.length));
    }

    /** One row per chart: the head (the chart's title), the two angles and their ratio. */
    public static Table anglesTable(List<EmbeddingCircleChart> charts) {
        StringColumn head = StringColumn.create("head");
        DoubleColumn gap = DoubleColumn.create("smallest angle between people (deg)");
        DoubleColumn within = DoubleColumn.create("mean angle to own centre (deg)");
        DoubleColumn ratio = DoubleColumn.create("ratio");
        for (EmbeddingCircleChart c : charts) {
            Angles a = c.angles();
            head.append(c.title());
            gap.append(a.smallestBetweenPeople());
            within.append(a.meanToOwnCentre());
            ratio.append(a.ratio());
        }
        return Table.create("angles on the circle", head, gap, within, ratio);
    }

    /** The angle between two directions on the circle, in [0, π]. */
    static double between(double a, double b) {
        return Math.abs(Math.IEEEremainder(a - b, 2 * Math.PI));
    }

    private XYChart chart(boolean normalise) {
        XYChart ch = new XYChartBuilder().width(380).height(400).title(title + (normalise ? "" : " (raw features)")).build();
        ch.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        ch.getStyler().setMarkerSize(5);
        ch.getStyler().setLegendVisible(false);
        double r = 1;
        if (!normalise) for (float[] v : features) r = Math.max(r, Math.hypot(v[0], v[1]));
        ch.getStyler().setXAxisMin(-1.15 * r).setXAxisMax(1.15 * r).setYAxisMin(-1.15 * r).setYAxisMax(1.15 * r);
        double[] cx = new double[RING_POINTS + 1], cy = new double[RING_POINTS + 1];
        for (int i = 0; i <= RING_POINTS; i++) {
            cx[i] = Math.cos(2 * Math.PI * i / RING_POINTS);
            cy[i] = Math.sin(2 * Math.PI * i / RING_POINTS);
        }
        XYSeries ring = ch.addSeries("unit circle", cx, cy);
        ring.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        ring.setMarker(SeriesMarkers.NONE);
        ring.setLineColor(Color.LIGHT_GRAY);
        for (int k = 0; k < names.size(); k++) {
            List<Double> xs = new ArrayList<>(), ys = new ArrayList<>();
            for (int i = 0; i < features.length; i++) {
                if (labels[i] != k) continue;
                double n = normalise ? Math.hypot(features[i][0], features[i][1]) : 1;
                xs.add(features[i][0] / n);
                ys.add(features[i][1] / n);
            }
            ch.addSeries(names.get(k), xs, ys);
        }
        return ch;
    }
}
