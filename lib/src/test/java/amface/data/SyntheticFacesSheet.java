package amface.data;

import java.nio.file.Path;

import amface.image.ImageWriter;
import amface.image.RgbImage;

/** Writes a contact sheet (rows = people, columns = photos) for looking at the generator. */
final class SyntheticFacesSheet {
    private SyntheticFacesSheet() { }

    static RgbImage sheet(SyntheticFaces faces, int people, int photos) {
        int w = faces.width();
        int h = faces.height();
        byte[] rgb = new byte[w * photos * h * people * 3];
        for (int p = 0; p < people; p++) {
            for (int q = 0; q < photos; q++) {
                RgbImage img = faces.render(p, q);
                for (int y = 0; y < h; y++) {
                    System.arraycopy(img.rgb(), y * w * 3, rgb, ((p * h + y) * w * photos + q * w) * 3, w * 3);
                }
            }
        }
        return new RgbImage(w * photos, h * people, rgb);
    }

    public static void main(String[] args) throws Exception {
        double d = Double.parseDouble(args[1]);
        ImageWriter.write(sheet(SyntheticFaces.builder().seed(3).difficulty(d).build(), 6, 8), Path.of(args[0]));
    }
}
