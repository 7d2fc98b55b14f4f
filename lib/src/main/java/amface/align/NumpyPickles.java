package amface.align;

import java.util.Map;

/**
 * The only Python globals a numpy weight pickle needs: array reconstruction ({@code _reconstruct}, under its
 * numpy 1 and numpy 2 module names), the {@code ndarray} class it is handed, and {@code dtype}.
 */
public final class NumpyPickles {
    private NumpyPickles() { }

    /** An unpickler that rebuilds numpy arrays as {@link NumpyArray} and refuses everything else. */
    public static SafeUnpickler unpickler() {
        SafeUnpickler.Global ndarray = new SafeUnpickler.Global("numpy.ndarray", null);
        SafeUnpickler.Callable reconstruct = args -> {
            if (args.size() != 3 || args.get(0) != ndarray) {
                throw new PickleException("_reconstruct may only build a numpy.ndarray, got arguments " + args);
            }
            return new NumpyArray();
        };
        SafeUnpickler.Callable dtype = args -> {
            if (args.isEmpty() || !(args.get(0) instanceof String code) || code.isEmpty()) {
                throw new PickleException("numpy.dtype needs a type code, got " + args);
            }
            return new NumpyDtype(code);
        };
        return new SafeUnpickler(Map.of(
            "numpy.ndarray", ndarray,
            "numpy.dtype", new SafeUnpickler.Global("numpy.dtype", dtype),
            "numpy.core.multiarray._reconstruct", new SafeUnpickler.Global("numpy.core.multiarray._reconstruct", reconstruct),
            "numpy._core.multiarray._reconstruct", new SafeUnpickler.Global("numpy._core.multiarray._reconstruct", reconstruct)));
    }
}
