package amface.config;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a public field of a config class ({@code amface.train.TrainConfig}, the sweep's settings, a backbone's
 * description) as a setting: its key is the field's name, its type the field's, its default the value a fresh object
 * holds. {@link ConfigKeys} reads, checks and describes such settings; the CLI generates its options from them.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Setting {
    /** One line of help, without the default (the CLI adds it). */
    String help();

    /** Older or shorter CLI names kept as aliases, such as {@code --keep-prob}; the key's kebab case is always one. */
    String[] aliases() default {};

    /** Valid numbers in interval notation, such as {@code [1, inf)} or {@code (0, 1]}; empty: any. */
    String range() default "";

    /** A number outside {@link #range} that means "not set, use the default behaviour", such as {@code -1}. */
    String unset() default "";

    /** The valid values of a text setting (case-insensitive). */
    String[] choices() default {};

    /** A registry whose names are the valid values (a class with a no-argument constructor); Iterable: none. */
    @SuppressWarnings("rawtypes")
    Class<? extends Iterable> choicesOf() default Iterable.class;

    /**
     * Left out of run identities (the sweep's run hashes) while at its default: for settings added after runs were
     * published, so that those runs keep their hashes; a value other than the default is part of the identity.
     */
    boolean omittedAtDefault() default false;

    /** A key that a description must give (no default applies). */
    boolean required() default false;

    /** The value's placeholder in the CLI's help, such as {@code HxW}; empty: from the type. */
    String label() default "";
}
