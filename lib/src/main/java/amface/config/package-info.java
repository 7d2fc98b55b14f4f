/**
 * Settings: one annotated field per key ({@link amface.config.Setting}: help, valid range or choices, CLI aliases;
 * the field's initial value is the default) and the one parser of {@code key = value} settings
 * ({@link amface.config.ConfigKeys}), used by the training config, the sweep config, model files' backbone
 * descriptions and {@code amface train}'s generated options.
 *
 * <pre>{@code
 * class Recipe { @Setting(help = "batch size", range = "[1, inf)") public int batch = 256; }
 * ConfigKeys<Recipe> keys = new ConfigKeys<>(Recipe.class, Recipe::new);
 * Recipe r = keys.apply(new Recipe(), properties, "recipe.properties"); // "batch = 0 is out of range: ..." in one line
 * }</pre>
 *
 * <p>A run's identity (sweep-run hashes, run records) is {@link amface.config.ConfigKeys#identity}: every setting,
 * except those marked {@code omittedAtDefault} while they hold their default, so that a setting added later leaves
 * the identities of earlier runs unchanged.
 *
 * <p>Sits at the bottom of the layers with {@code io}: it must not depend on any other amface package (registries
 * such as {@code nn.Backbone} give their names through {@link amface.config.Setting#choicesOf()}, a class the
 * parser instantiates, so the arrow points up from them to here).
 */
package amface.config;
