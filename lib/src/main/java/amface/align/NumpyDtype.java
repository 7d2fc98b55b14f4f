package amface.align;

import java.util.List;

/** numpy's {@code dtype} as a pickle rebuilds it: a type code such as {@code f4} or {@code O8}, then its byte order. */
final class NumpyDtype implements SafeUnpickler.Stateful {
    private final String code;
    private String order = "<";

    NumpyDtype(String code) {
        this.code = code;
    }

    /** The array-interface type string: {@code <f4}, {@code |u1}, {@code |O}. */
    String descr() {
        if (code.startsWith("O")) return "|O";
        String kind = code.substring(0, 1);
        String size = code.substring(1);
        String o = size.equals("1") || order.equals("|") ? "|" : order.equals("=") ? "<" : order;
        return o + kind + size;
    }

    /** {@code dtype.__setstate__}: (version, byte order, ...). */
    @Override
    public void setState(Object state) throws PickleException {
        if (!(state instanceof List<?> t) || t.size() < 2 || !(t.get(1) instanceof String o)) {
            throw new PickleException("dtype state is not (version, byteorder, ...): " + state);
        }
        order = o;
    }
}
