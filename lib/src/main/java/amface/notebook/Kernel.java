package amface.notebook;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.UUID;

/**
 * The one place that talks to the Jupyter kernel. The library must work without it (CLI, tests), so JJava is
 * reached by reflection: its {@code BaseKernel.notebookKernel()} is set while amface code runs inside a JJava
 * kernel, and {@code display} / {@code getIO().display.updateDisplay} publish {@code display_data} and
 * {@code update_display_data} messages. Outside a kernel every call is a no-op.
 *
 * <p>JJava delivers output only while a cell is executing ("attached"); output sent from a background thread
 * after the cell finished is dropped, which is why long jobs run in the cell's own thread.
 *
 * <p>A kernel interrupt reaches a running cell as {@link Thread#interrupt()} of the cell's thread (JJava cancels
 * the cell's future). Sending output through JJava's socket on an interrupted thread fails (EINTR), so every send
 * here clears the flag first and sets it again afterwards ({@link InterruptFlag}).
 */
public final class Kernel {
    private static final String BASE_KERNEL = "org.dflib.jjava.jupyter.kernel.BaseKernel";
    private static final String DISPLAY_DATA = "org.dflib.jjava.jupyter.kernel.display.DisplayData";

    private static volatile Bridge bridge;
    private static volatile boolean warned;

    private Kernel() { }

    /** True inside a JJava kernel (whether or not a cell is running right now). */
    public static boolean isPresent() {
        return kernel() != null;
    }

    /** True while a cell executes, i.e. when a display sent now reaches the notebook. */
    public static boolean isAttached() {
        Object k = kernel();
        if (k == null) return false;
        try {
            Bridge b = bridge();
            Object stream = b.ioDisplayField.get(b.getIO.invoke(k));
            return (Boolean) b.isAttached.invoke(stream);
        } catch (ReflectiveOperationException | RuntimeException e) {
            warnOnce(e);
            return false;
        }
    }

    /**
     * Shows {@code output} in a new output area and returns its display id (a fresh UUID, also outside a kernel,
     * so callers can treat both cases alike).
     */
    public static String display(MimeBundle output) {
        String id = UUID.randomUUID().toString();
        Object k = kernel();
        if (k == null) return id;
        try {
            Bridge b = bridge();
            Object data = b.toDisplayData(output, id);
            InterruptFlag.keep(() -> invoke(b.display, k, data));
        } catch (ReflectiveOperationException | RuntimeException e) {
            warnOnce(e);
        }
        return id;
    }

    /** Replaces the contents of the output area {@code id} (from {@link #display}) with {@code output}. */
    public static void update(String id, MimeBundle output) {
        Object k = kernel();
        if (k == null) return;
        try {
            Bridge b = bridge();
            Object data = b.toDisplayData(output, id);
            Object stream = b.ioDisplayField.get(b.getIO.invoke(k));
            InterruptFlag.keep(() -> invoke(b.updateDisplay, stream, id, data));
        } catch (ReflectiveOperationException | RuntimeException e) {
            warnOnce(e);
        }
    }

    private static Object invoke(Method m, Object target, Object... args) {
        try {
            return m.invoke(target, args);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** The running JJava kernel instance, or null outside one. */
    private static Object kernel() {
        Bridge b = bridge();
        if (b == null) return null;
        try {
            return b.notebookKernel.invoke(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            warnOnce(e);
            return null;
        }
    }

    private static Bridge bridge() {
        Bridge b = bridge;
        if (b == null) {
            b = Bridge.find();
            bridge = b;
        }
        return b == Bridge.ABSENT ? null : b;
    }

    private static void warnOnce(Throwable e) {
        if (warned) return;
        warned = true;
        Throwable cause = e instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : e;
        System.err.println("amface: could not reach the notebook kernel's display (" + cause + "); outputs will be missing");
    }

    /** JJava's classes and methods, looked up once. */
    private static final class Bridge {
        static final Bridge ABSENT = new Bridge();

        Method notebookKernel;
        Method display;
        Method getIO;
        java.lang.reflect.Field ioDisplayField;
        Method isAttached;
        Method updateDisplay;
        Class<?> displayDataClass;
        Method putData;
        Method setDisplayId;

        static Bridge find() {
            Class<?> kernelClass = load(BASE_KERNEL);
            if (kernelClass == null) return ABSENT;
            try {
                Bridge b = new Bridge();
                ClassLoader loader = kernelClass.getClassLoader();
                b.displayDataClass = Class.forName(DISPLAY_DATA, false, loader);
                b.notebookKernel = kernelClass.getMethod("notebookKernel");
                b.display = kernelClass.getMethod("display", b.displayDataClass);
                b.getIO = kernelClass.getMethod("getIO");
                b.ioDisplayField = b.getIO.getReturnType().getField("display");
                Class<?> streamClass = b.ioDisplayField.getType();
                b.isAttached = streamClass.getMethod("isAttached");
                b.updateDisplay = streamClass.getMethod("updateDisplay", String.class, b.displayDataClass);
                b.putData = b.displayDataClass.getMethod("putData", String.class, Object.class);
                b.setDisplayId = b.displayDataClass.getMethod("setDisplayId", String.class);
                return b;
            } catch (ReflectiveOperationException | RuntimeException e) {
                // A JJava whose API changed: say so once rather than failing every cell.
                warnOnce(e);
                return ABSENT;
            }
        }

        Object toDisplayData(MimeBundle output, String id) throws ReflectiveOperationException {
            Object data = displayDataClass.getConstructor().newInstance();
            for (Map.Entry<String, String> e : output.data().entrySet()) putData.invoke(data, e.getKey(), e.getValue());
            setDisplayId.invoke(data, id);
            return data;
        }

        private static Class<?> load(String name) {
            for (ClassLoader loader : new ClassLoader[] {Thread.currentThread().getContextClassLoader(), Kernel.class.getClassLoader()}) {
                if (loader == null) continue;
                try {
                    return Class.forName(name, false, loader);
                } catch (ClassNotFoundException | LinkageError ignored) {
                    // not in this loader
                }
            }
            return null;
        }
    }
}
