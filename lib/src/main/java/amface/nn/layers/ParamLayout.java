package amface.nn.layers;

import java.util.List;

import org.nd4j.linalg.api.ndarray.INDArray;

/** Implemented by the amface layer configurations: their parameters in flattened order, and their initial values. */
interface ParamLayout {
    List<ParamSpec> params();

    /** Fills {@code view} (shaped as the spec) with the initial value of parameter {@code name}. */
    void initialise(ParamSpec spec, INDArray view);
}
