package amface.nn;

/** The backbone families amface builds. */
public enum Architecture {
    /** SphereFace / AM-softmax residual nets: stride-2 conv per stage, identity units of two conv-BN-PReLU. */
    RESFACE,
    /** ArcFace L-ResNet-E-IR: BN-conv-BN-PReLU-conv(stride)-BN units, output block BN-dropout-FC-BN. */
    LRESNET_E_IR
}
