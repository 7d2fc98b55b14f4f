package amface.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.GeneralPath;
import java.awt.geom.Line2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.SplittableRandom;

import amface.image.RgbImage;

/**
 * Draws one photo of a synthetic person with Java2D, in the coordinates of the 96x112 alignment template (eyes at
 * (30.3, 51.7) and (65.5, 51.5), nose tip (48.0, 71.7), mouth corners (33.5, 92.4) and (62.7, 92.2)), mapped to
 * the output size as the template is (112x112 adds 8 to every x), then lit, blurred and made noisy per pixel.
 */
final class SyntheticFacePainter {
    static final double LEFT_EYE_X = 30.2946;
    static final double RIGHT_EYE_X = 65.5318;
    static final double EYE_Y = 51.6;
    static final double NOSE_X = 48.0252;
    static final double NOSE_Y = 71.7366;
    static final double MOUTH_Y = 92.28;
    static final double CENTRE_X = 48;

    /** 4096 standard normal samples: per-pixel noise by table look-up is far cheaper than nextGaussian(). */
    private static final float[] GAUSS = new float[4096];

    static {
        SplittableRandom r = new SplittableRandom(0x5EED);
        for (int i = 0; i < GAUSS.length; i++) GAUSS[i] = (float) r.nextGaussian();
    }

    private final int width;
    private final int height;

    SyntheticFacePainter(int width, int height) {
        this.width = width;
        this.height = height;
    }

    RgbImage paint(SyntheticIdentity id, SyntheticVariation v, SplittableRandom r) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            background(g, v);
            double s = height / 112.0;
            g.transform(pose(v));
            face(g, id, v);
            if (v.occluder()) {
                g.setTransform(new AffineTransform());
                g.setColor(v.occluderColour());
                double sz = v.occluderSize() * s;
                g.fill(new Ellipse2D.Double(v.occluderX() * s - sz / 2, v.occluderY() * s - sz / 2, sz * 1.4, sz));
            }
        } finally {
            g.dispose();
        }
        return finish(((DataBufferInt) img.getRaster().getDataBuffer()).getData(), v, r);
    }

    /** Template -> output, then the photo's pose (shift, rotation, scale) about the point between the eyes. */
    private AffineTransform pose(SyntheticVariation v) {
        double s = height / 112.0;
        AffineTransform t = new AffineTransform();
        t.translate((width - 96 * s) / 2, 0);
        t.scale(s, s);
        t.translate(CENTRE_X + v.shiftX(), EYE_Y + v.shiftY());
        t.rotate(Math.toRadians(v.rotationDegrees()));
        t.scale(v.scale(), v.scale());
        t.translate(-CENTRE_X, -EYE_Y);
        return t;
    }

    /**
     * Where the five alignment landmarks of this photo are drawn, in output pixels: left eye, right eye, nose tip,
     * left and right mouth corner, as {x, y} rows.
     */
    double[][] landmarks(SyntheticIdentity id, SyntheticVariation v) {
        double fx = v.yaw() * 3;
        double eyeY = EYE_Y + id.eyeDy();
        double smile = id.restingSmile() + v.smile();
        double half = id.mouthWidth() / 2 * (1 + 0.08 * smile);
        double mouthX = NOSE_X + fx * 1.2;
        double mouthY = MOUTH_Y + id.mouthDy() - 3.2 * smile;
        double[] pts = {
            LEFT_EYE_X - id.eyeDx() + fx, eyeY,
            RIGHT_EYE_X + id.eyeDx() + fx, eyeY,
            NOSE_X + fx * 1.3, noseTip(id, eyeY),
            mouthX - half, mouthY,
            mouthX + half, mouthY,
        };
        pose(v).transform(pts, 0, pts, 0, 5);
        return new double[][] {{pts[0], pts[1]}, {pts[2], pts[3]}, {pts[4], pts[5]}, {pts[6], pts[7]}, {pts[8], pts[9]}};
    }

    private static double noseTip(SyntheticIdentity id, double eyeY) {
        return eyeY + 1 + id.noseLength();
    }

    private void background(Graphics2D g, SyntheticVariation v) {
        g.setPaint(new java.awt.GradientPaint(0, 0, v.background(), width, height, v.background2()));
        g.fillRect(0, 0, width, height);
    }

    private static void face(Graphics2D g, SyntheticIdentity id, SyntheticVariation v) {
        double yaw = v.yaw();
        double cx = CENTRE_X - yaw * 2.5; // the outline moves against the turn, the features with it
        double cy = id.faceCentreY();
        double fw = id.faceWidth() * (1 - 0.08 * Math.abs(yaw));
        double fh = id.faceHeight();
        Color hair = id.hair();
        int style = id.hairStyle();
        double top = cy - fh;

        // long hair and volume behind the head
        if (style == 4 || style == 5) {
            g.setColor(SyntheticIdentity.shade(hair, 0.85));
            double extra = style == 5 ? 10 * id.hairVolume() : 4;
            g.fill(new Ellipse2D.Double(cx - fw - extra, top - extra + v.hairShift(), 2 * (fw + extra), style == 4 ? 2 * fh + 30 : 1.6 * fh + extra));
        }
        // neck and shoulders
        Color skin = id.skin();
        g.setColor(SyntheticIdentity.shade(skin, 0.8));
        g.fill(new java.awt.geom.Rectangle2D.Double(cx - fw * 0.45, cy + fh * 0.6, fw * 0.9, 40));
        g.setColor(SyntheticIdentity.shade(v.background2(), 0.6)); // clothes change from photo to photo
        g.fill(new Ellipse2D.Double(cx - fw * 1.6, cy + fh * 0.98, fw * 3.2, 60));

        // ears
        g.setColor(SyntheticIdentity.shade(skin, 0.93));
        double earH = 17 * id.earSize();
        double earW = 8 * id.earSize();
        if (yaw < 0.5) g.fill(new Ellipse2D.Double(cx - fw - earW * 0.55, EYE_Y + 2, earW, earH));
        if (yaw > -0.5) g.fill(new Ellipse2D.Double(cx + fw - earW * 0.45, EYE_Y + 2, earW, earH));

        // face outline: round temples, jaw narrowing to the chin
        GeneralPath outline = new GeneralPath();
        double jaw = fw * id.jawWidth();
        outline.moveTo(cx, top);
        outline.curveTo(cx + fw * 0.75, top, cx + fw, cy - fh * 0.55, cx + fw, cy - fh * 0.05);
        outline.curveTo(cx + fw, cy + fh * 0.45, cx + jaw, cy + fh * 0.8, cx, cy + fh);
        outline.curveTo(cx - jaw, cy + fh * 0.8, cx - fw, cy + fh * 0.45, cx - fw, cy - fh * 0.05);
        outline.curveTo(cx - fw, cy - fh * 0.55, cx - fw * 0.75, top, cx, top);
        outline.closePath();
        g.setColor(skin);
        g.fill(outline);
        // side shading gives the face some volume
        g.setColor(new Color(0, 0, 0, 28));
        g.fill(new Ellipse2D.Double(cx - fw, cy - fh * 0.3, fw * 0.35, fh * 1.0));
        g.fill(new Ellipse2D.Double(cx + fw * 0.65, cy - fh * 0.3, fw * 0.35, fh * 1.0));

        double fx = yaw * 3; // features follow the turn
        double eyeY = EYE_Y + id.eyeDy();
        double lx = LEFT_EYE_X - id.eyeDx() + fx;
        double rx = RIGHT_EYE_X + id.eyeDx() + fx;

        // beard under the features
        if (id.beard() > 0) {
            g.setColor(new Color(id.hair().getRed(), id.hair().getGreen(), id.hair().getBlue(), id.beard() == 3 ? 230 : 150));
            GeneralPath beard = new GeneralPath();
            double side = cy + fh * 0.18;
            beard.moveTo(cx - fw * 0.93, side);
            beard.curveTo(cx - fw * 0.9, cy + fh * 0.5, cx - jaw, cy + fh * 0.85, cx, cy + fh * 1.02);
            beard.curveTo(cx + jaw, cy + fh * 0.85, cx + fw * 0.9, cy + fh * 0.5, cx + fw * 0.93, side);
            beard.lineTo(cx + fw * 0.55, side + 4);
            beard.quadTo(cx + fw * 0.45, MOUTH_Y + id.mouthDy() + 8, cx, MOUTH_Y + id.mouthDy() + 7);
            beard.quadTo(cx - fw * 0.45, MOUTH_Y + id.mouthDy() + 8, cx - fw * 0.55, side + 4);
            beard.closePath();
            if (id.beard() >= 2) g.fill(beard);
            g.fill(new Ellipse2D.Double(NOSE_X + fx - id.mouthWidth() / 2 - 2, MOUTH_Y + id.mouthDy() - 9, id.mouthWidth() + 4, 6)); // moustache
        }

        // hair on top (after the face, so it frames the forehead)
        hairTop(g, id, v, cx, top, fw);

        // brows
        g.setColor(id.brows());
        g.setStroke(new BasicStroke((float) id.browThickness(), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        double browY = eyeY - id.browGap() - v.browRaise();
        brow(g, lx, browY, id.browLength(), id.browArch(), -id.browTilt());
        brow(g, rx, browY, id.browLength(), id.browArch(), id.browTilt());

        // eyes
        eye(g, id, v, lx, eyeY);
        eye(g, id, v, rx, eyeY);

        // nose: bridge shadow, tip, nostrils
        double nx = NOSE_X + fx * 1.3;
        double noseTop = eyeY + 1;
        double noseTip = noseTip(id, eyeY);
        g.setColor(new Color(0, 0, 0, 35));
        g.setStroke(new BasicStroke(2.2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(new Line2D.Double(nx - 3.5 - yaw * 2, noseTop, nx - id.noseWidth() * 0.4, noseTip - 2));
        g.setColor(SyntheticIdentity.shade(skin, 1.06));
        g.fill(new Ellipse2D.Double(nx - id.noseWidth() * 0.3, noseTip - 5, id.noseWidth() * 0.6, 5));
        g.setColor(SyntheticIdentity.shade(skin, 0.45));
        double nw = id.noseWidth();
        g.fill(new Ellipse2D.Double(nx - nw * 0.42, noseTip - 1, nw * 0.28, 2.4));
        g.fill(new Ellipse2D.Double(nx + nw * 0.14, noseTip - 1, nw * 0.28, 2.4));

        mouth(g, id, v, NOSE_X + fx * 1.2, MOUTH_Y + id.mouthDy());

        if (id.mole()) {
            g.setColor(SyntheticIdentity.shade(skin, 0.4));
            g.fill(new Ellipse2D.Double(id.moleX() + fx - 1.3, id.moleY() - 1.3, 2.6, 2.6));
        }
        if (id.glasses() != v.glassesFlip()) glasses(g, id, lx, rx, eyeY);
    }

    private static void hairTop(Graphics2D g, SyntheticIdentity id, SyntheticVariation v, double cx, double top, double fw) {
        int style = id.hairStyle();
        if (style == 0) return;
        g.setColor(id.hair());
        double hairline = top + id.hairline() + v.hairShift();
        double vol = id.hairVolume() * (style == 5 ? 9 : style == 1 ? 2 : 5);
        GeneralPath p = new GeneralPath();
        p.moveTo(cx - fw - 2, hairline + 14);
        // control points high enough that the crown of the curve is above the top of the head
        double crown = ((top - 1 - vol) - 0.25 * (hairline + 14)) / 0.75;
        p.curveTo(cx - fw - vol, crown, cx + fw + vol, crown, cx + fw + 2, hairline + 14);
        switch (style) {
            case 2 -> { // fringe straight across
                p.lineTo(cx + fw * 0.85, hairline + 2);
                p.lineTo(cx - fw * 0.85, hairline + 2);
            }
            case 3 -> { // side part: higher on one side
                p.quadTo(cx + fw * 0.5, hairline - 8, cx - fw * 0.3, hairline - 4);
                p.quadTo(cx - fw * 0.7, hairline + 4, cx - fw - 2, hairline + 14);
            }
            default -> p.quadTo(cx, hairline - 8, cx - fw - 2, hairline + 14);
        }
        p.closePath();
        g.fill(p);
    }

    private static void brow(Graphics2D g, double x, double y, double length, double arch, double tilt) {
        GeneralPath p = new GeneralPath();
        double h = length / 2;
        p.moveTo(x - h, y + tilt * h);
        p.quadTo(x, y - arch, x + h, y - tilt * h);
        g.draw(p);
    }

    private static void eye(Graphics2D g, SyntheticIdentity id, SyntheticVariation v, double x, double y) {
        double w = id.eyeWidth();
        double h = id.eyeHeight() * v.eyeOpen();
        g.setColor(new Color(244, 242, 236));
        g.fill(new Ellipse2D.Double(x - w / 2, y - h / 2, w, h));
        double ir = Math.min(id.irisRadius(), w / 2.5);
        double ix = x + v.gazeX();
        java.awt.Shape clip = g.getClip();
        g.clip(new Ellipse2D.Double(x - w / 2, y - h / 2, w, h));
        g.setColor(id.iris());
        g.fill(new Ellipse2D.Double(ix - ir, y - ir, 2 * ir, 2 * ir));
        g.setColor(new Color(12, 10, 10));
        g.fill(new Ellipse2D.Double(ix - ir * 0.45, y - ir * 0.45, ir * 0.9, ir * 0.9));
        g.setClip(clip);
        g.setColor(new Color(30, 20, 18));
        g.setStroke(new BasicStroke(1.3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        GeneralPath lid = new GeneralPath();
        lid.moveTo(x - w / 2 - 0.5, y + 0.3);
        lid.quadTo(x, y - h * 1.05, x + w / 2 + 0.5, y + 0.3);
        g.draw(lid);
    }

    private static void mouth(Graphics2D g, SyntheticIdentity id, SyntheticVariation v, double x, double y) {
        double smile = id.restingSmile() + v.smile();
        double half = id.mouthWidth() / 2 * (1 + 0.08 * smile);
        double lift = 3.2 * smile; // corners up when smiling
        double open = v.mouthOpen() * 7;
        double lip = id.lipThickness();
        if (open > 0.5) {
            GeneralPath inside = new GeneralPath();
            inside.moveTo(x - half, y - lift);
            inside.quadTo(x, y - 1, x + half, y - lift);
            inside.quadTo(x, y + open * 2, x - half, y - lift);
            g.setColor(new Color(70, 25, 30));
            g.fill(inside);
            g.setColor(new Color(235, 232, 220));
            g.fill(new java.awt.geom.Rectangle2D.Double(x - half * 0.6, y - 1, half * 1.2, Math.min(2.5, open * 0.5)));
        }
        g.setColor(id.lips());
        GeneralPath upper = new GeneralPath();
        upper.moveTo(x - half, y - lift);
        upper.quadTo(x - half / 2, y - lip - 1 - lift / 2, x, y - lip * 0.7);
        upper.quadTo(x + half / 2, y - lip - 1 - lift / 2, x + half, y - lift);
        upper.quadTo(x, y + 0.6 - lift / 3, x - half, y - lift);
        g.fill(upper);
        GeneralPath lower = new GeneralPath();
        lower.moveTo(x - half, y - lift);
        lower.quadTo(x, y + open + 0.5, x + half, y - lift);
        lower.quadTo(x, y + open + lip * 1.4 + 1, x - half, y - lift);
        g.fill(lower);
        g.setColor(SyntheticIdentity.shade(id.lips(), 0.55));
        g.setStroke(new BasicStroke(0.9f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        GeneralPath line = new GeneralPath();
        line.moveTo(x - half, y - lift);
        line.quadTo(x, y + (open > 0.5 ? open : 1) - lift / 3, x + half, y - lift);
        g.draw(line);
    }

    private static void glasses(Graphics2D g, SyntheticIdentity id, double lx, double rx, double y) {
        g.setColor(id.glassesColour());
        g.setStroke(new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        double w = 19;
        double h = id.roundGlasses() ? 17 : 13;
        double arc = id.roundGlasses() ? 17 : 5;
        g.draw(new RoundRectangle2D.Double(lx - w / 2, y - h / 2, w, h, arc, arc));
        g.draw(new RoundRectangle2D.Double(rx - w / 2, y - h / 2, w, h, arc, arc));
        g.draw(new Line2D.Double(lx + w / 2, y - 1.5, rx - w / 2, y - 1.5));
        g.draw(new Line2D.Double(lx - w / 2, y - 2, lx - w / 2 - 10, y - 3));
        g.draw(new Line2D.Double(rx + w / 2, y - 2, rx + w / 2 + 10, y - 3));
    }

    /** Lighting (brightness, contrast, a left-right slope, a colour cast), blur and noise, into RGB bytes. */
    private RgbImage finish(int[] argb, SyntheticVariation v, SplittableRandom r) {
        int w = width;
        int h = height;
        int n = w * h;
        float ct = (float) v.contrast();
        float offset = 128 * (1 - ct); // contrast about mid-grey: (x - 128) * ct + 128
        float[] light = new float[w];
        for (int x = 0; x < w; x++) light[x] = (float) (v.brightness() * (1 + v.lightSlope() * ((x + 0.5) / w - 0.5) * 2));
        float tr = (float) v.tintR();
        float tg = (float) v.tintG();
        float tb = (float) v.tintB();
        float[] px = new float[n * 3];
        for (int y = 0, i = 0; y < h; y++) {
            for (int x = 0; x < w; x++, i++) {
                int p = argb[i];
                float l = light[x];
                px[3 * i] = (((p >> 16) & 0xff) * ct + offset) * l * tr;
                px[3 * i + 1] = (((p >> 8) & 0xff) * ct + offset) * l * tg;
                px[3 * i + 2] = ((p & 0xff) * ct + offset) * l * tb;
            }
        }
        // blur: whole 3x3 binomial passes, then a blend for the fraction
        double blur = v.blur();
        int passes = (int) blur;
        float[] tmp = new float[px.length];
        float[] out = passes > 0 || blur - passes > 0.05 ? new float[px.length] : null;
        for (int k = 0; k < passes; k++) {
            blur3(px, tmp, out, w, h);
            float[] swap = px;
            px = out;
            out = swap;
        }
        float frac = (float) (blur - passes);
        if (frac > 0.05f) {
            blur3(px, tmp, out, w, h);
            for (int i = 0; i < px.length; i++) px[i] += (out[i] - px[i]) * frac;
        }
        float lumSigma = (float) v.noise() * 0.7f; // mostly luminance noise, as a sensor's
        float colSigma = (float) v.noise() * 0.5f;
        float[] gauss = GAUSS;
        byte[] rgb = new byte[n * 3];
        for (int i = 0; i < px.length; i += 3) {
            long bits = r.nextLong();
            float lum = gauss[(int) (bits & 4095)] * lumSigma;
            rgb[i] = clampByte(px[i] + lum + gauss[(int) ((bits >>> 12) & 4095)] * colSigma);
            rgb[i + 1] = clampByte(px[i + 1] + lum + gauss[(int) ((bits >>> 24) & 4095)] * colSigma);
            rgb[i + 2] = clampByte(px[i + 2] + lum + gauss[(int) ((bits >>> 36) & 4095)] * colSigma);
        }
        return new RgbImage(w, h, rgb);
    }

    private static byte clampByte(float v) {
        int i = (int) (v + 0.5f);
        return (byte) (i < 0 ? 0 : i > 255 ? 255 : i);
    }

    /** One pass of the [1 2 1]/4 kernel in x and y from {@code src} into {@code out}, edges clamped. */
    private static void blur3(float[] src, float[] tmp, float[] out, int w, int h) {
        int stride = w * 3;
        for (int y = 0; y < h; y++) {
            int row = y * stride;
            for (int c = 0; c < 3; c++) {
                tmp[row + c] = 0.75f * src[row + c] + 0.25f * src[row + 3 + c];
                tmp[row + stride - 3 + c] = 0.75f * src[row + stride - 3 + c] + 0.25f * src[row + stride - 6 + c];
            }
            for (int i = row + 3; i < row + stride - 3; i++) tmp[i] = 0.25f * (src[i - 3] + src[i + 3]) + 0.5f * src[i];
        }
        for (int y = 0; y < h; y++) {
            int up = Math.max(0, y - 1) * stride;
            int row = y * stride;
            int down = Math.min(h - 1, y + 1) * stride;
            for (int i = 0; i < stride; i++) out[row + i] = 0.25f * (tmp[up + i] + tmp[down + i]) + 0.5f * tmp[row + i];
        }
    }
}
