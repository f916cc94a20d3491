package dev.pipe.engine.secrets;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The secret values of one run, by name, from a dotenv file ({@code --secrets-file}) and from
 * environment variables {@code PIPE_SECRET_<NAME>}.
 *
 * <p>The environment wins over the file, since CI systems inject secrets there and a checked-out
 * file should not silently override them. An empty value counts as missing, wherever it comes
 * from, and an empty {@code PIPE_SECRET_<NAME>} does not hide the file's value: CI systems set
 * empty strings for secrets they withhold (pull requests from forks), and a run should stop with
 * "missing secret" rather than call a server with an empty token.
 *
 * <p>{@link #toString()} and every exception name secrets, never their values.
 */
public final class SecretStore {
    public static final String ENV_PREFIX = "PIPE_SECRET_";

    private final Map<String, String> values;
    private final Map<String, String> origins;
    private final Map<String, String> empty;
    private final String file;

    private SecretStore(Map<String, String> values, Map<String, String> origins, Map<String, String> empty, String file) {
        this.values = Collections.unmodifiableMap(values);
        this.origins = Collections.unmodifiableMap(origins);
        this.empty = Collections.unmodifiableMap(empty);
        this.file = file;
    }

    /**
     * Loads the secrets file (when not null) and every {@code PIPE_SECRET_*} variable of
     * {@code environment} (normally {@code System.getenv()}).
     */
    public static SecretStore load(Path secretsFile, Map<String, String> environment) {
        Map<String, String> values = new TreeMap<>();
        Map<String, String> origins = new TreeMap<>();
        Map<String, String> empty = new TreeMap<>();
        String file = null;
        if (secretsFile != null) {
            file = secretsFile.toString();
            for (Dotenv.Entry e : Dotenv.parse(read(secretsFile), file)) {
                String origin = "line " + e.line() + " of " + file;
                put(e.name(), e.value(), origin, values, origins, empty);
            }
        }
        for (Map.Entry<String, String> e : new TreeMap<>(environment).entrySet()) {
            String key = e.getKey();
            if (key.startsWith(ENV_PREFIX) && key.length() > ENV_PREFIX.length()) {
                put(key.substring(ENV_PREFIX.length()), e.getValue(), key, values, origins, empty);
            }
        }
        return new SecretStore(values, origins, empty, file);
    }

    /**
     * A copy of {@code environment} without the {@code PIPE_SECRET_*} variables, for the base
     * environment of steps: a step gets only the secrets its stage declares, by their names.
     */
    public static Map<String, String> withoutSecretVariables(Map<String, String> environment) {
        Map<String, String> out = new LinkedHashMap<>(environment);
        out.keySet().removeIf(key -> key.startsWith(ENV_PREFIX));
        return out;
    }

    /** A store holding exactly these values (tests, and runners that fetch secrets elsewhere). */
    public static SecretStore of(Map<String, String> secrets) {
        Map<String, String> values = new TreeMap<>();
        Map<String, String> origins = new TreeMap<>();
        Map<String, String> empty = new TreeMap<>();
        secrets.forEach((name, value) -> put(name, value, "given", values, origins, empty));
        return new SecretStore(values, origins, empty, null);
    }

    private static void put(String name, String value, String origin, Map<String, String> values,
            Map<String, String> origins, Map<String, String> empty) {
        if (value.isEmpty()) {
            if (!values.containsKey(name)) {
                empty.put(name, origin);
            }
            return;
        }
        values.put(name, value);
        origins.put(name, origin);
        empty.remove(name);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new SecretException("cannot read the secrets file " + file + ": it does not exist.");
        } catch (CharacterCodingException e) {
            throw new SecretException("cannot read the secrets file " + file + ": it is not UTF-8 text.");
        } catch (IOException e) {
            throw new SecretException("cannot read the secrets file " + file + ": " + e.getMessage());
        }
    }

    /**
     * The values of the declared {@code names}, in their order; throws one {@link SecretException}
     * naming every one that is missing and where it was looked for.
     */
    public Map<String, String> require(Collection<String> names) {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String name : new LinkedHashSet<>(names)) {
            String value = values.get(name);
            if (value == null) {
                missing.add(name);
            } else {
                out.put(name, value);
            }
        }
        if (!missing.isEmpty()) {
            throw new SecretException(missingMessage(missing));
        }
        return out;
    }

    private String missingMessage(List<String> missing) {
        boolean one = missing.size() == 1;
        StringBuilder m = new StringBuilder("missing secret" + (one ? " " : "s ")).append(and(missing)).append(": ");
        List<String> vars = missing.stream().map(n -> ENV_PREFIX + n).toList();
        if (file != null) {
            m.append("put ").append(one ? "it" : "them").append(" in the secrets file ").append(file)
                    .append(" or set ").append(and(vars)).append('.');
        } else {
            m.append("set ").append(and(vars)).append(", or put ").append(one ? "it" : "them")
                    .append(" in a dotenv file given with --secrets-file.");
        }
        for (String name : missing) {
            if (empty.containsKey(name)) {
                m.append(' ').append(capitalize(describe(empty.get(name)))).append(" sets ").append(name)
                        .append(" to an empty value, which counts as missing.");
            }
            String near = nearName(name);
            if (near != null) {
                m.append(" There is a secret ").append(near).append(" (from ").append(describe(origins.get(near)))
                        .append("); names are exact, so rename it ").append(name).append('.');
            }
        }
        return m.toString();
    }

    private static String describe(String origin) {
        return origin.startsWith(ENV_PREFIX) ? "the environment variable " + origin : origin;
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** A name that differs from {@code name} only in case or in {@code -} versus {@code _}. */
    private String nearName(String name) {
        String key = fold(name);
        return values.keySet().stream().filter(n -> !n.equals(name) && fold(n).equals(key)).findFirst().orElse(null);
    }

    private static String fold(String name) {
        return name.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    private static String and(List<String> items) {
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** The names of every non-empty secret held, sorted. */
    public Set<String> names() {
        return values.keySet();
    }

    /** Where a secret's value came from, such as "line 3 of .secrets" or "PIPE_SECRET_TOKEN". */
    public Optional<String> origin(String name) {
        return Optional.ofNullable(origins.get(name));
    }

    /**
     * Masks every value held, declared or not: a value in the store may reach a step's output by
     * other paths than the pipeline's declarations.
     */
    public Masker masker() {
        return Masker.of(values.values());
    }

    /** Names whose values are too short to be masked (see {@link Masker#isMaskable}), for a warning. */
    public List<String> unmaskable() {
        return values.entrySet().stream().filter(e -> !Masker.isMaskable(e.getValue())).map(Map.Entry::getKey).toList();
    }

    @Override
    public String toString() {
        return "SecretStore" + values.keySet();
    }
}
