/**
 * Images in memory and on disk: {@link amface.image.RgbImage} (8-bit RGB, row-major HWC, on the Java heap) is the
 * currency every other package passes around; this package reads it from files, writes it back, transforms it
 * and turns batches of it into network input.
 *
 * <ul>
 *   <li>{@link amface.image.ImageReader}: JPEG, PNG, PGM/PPM/PBM, BMP, WebP (OpenCV) and GIF (ImageIO), the format
 *       recognised by its first bytes, EXIF orientation applied. Header and ending are checked before decoding
 *       ({@code ImageFileCheck}) because libjpeg fills a truncated JPEG with grey and reports success: every bad
 *       file is a {@link amface.image.BadImageException} naming the file and the reason.</li>
 *   <li>{@link amface.image.ImageWriter}: PNG or JPEG by extension, written atomically. PNG at zlib level 1 with
 *       Huffman coding only: lossless, and on camera-like faces smaller (19 against 21 kB) and 2x faster than
 *       zlib's default (measured on 112x96 synthetic faces); JPEG at quality 95, since faces are training data.</li>
 *   <li>{@link amface.image.ImageTransforms} (resize, flip, crop) and {@link amface.image.RandomCrop} (training's
 *       "random clip", seeded by the caller).</li>
 *   <li>{@link amface.image.ImageTensors}: batches as NCHW or NHWC ({@link amface.image.TensorLayout}) float32
 *       with the reference normalisation {@code (x - 127.5) / 128}, exact in float, so any implementation agrees
 *       bit for bit.</li>
 *   <li>{@link amface.image.Mats}: to and from OpenCV {@code Mat} (BGR, native memory owned by the caller).</li>
 * </ul>
 *
 * <pre>{@code
 * RgbImage img = ImageReader.read(Path.of("face.jpg"));         // BadImageException names file and reason
 * RgbImage chip = ImageTransforms.resize(img, 96, 112);          // width, height
 * INDArray x = ImageTensors.toTensor(List.of(chip), TensorLayout.NHWC);
 * }</pre>
 *
 * <p>Layering: below {@code image} there are only {@code io} (atomic files) and {@code config}. It must not depend on {@code data},
 * {@code align}, {@code nn}, {@code head}, {@code train}, {@code eval} or anything above (see {@code lib/README.md};
 * {@code amface.LayeringTest} checks it): datasets are made of images, not the other way round.
 */
package amface.image;
