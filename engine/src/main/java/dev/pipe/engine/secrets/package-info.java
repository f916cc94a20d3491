/**
 * Secrets at run time: where their values come from and how they are kept out of every output.
 *
 * <p>{@link dev.pipe.engine.secrets.SecretStore} loads values from a dotenv file and from
 * {@code PIPE_SECRET_<NAME>} variables (the environment wins) and checks that every declared
 * secret has one before anything runs. Its {@link dev.pipe.engine.secrets.Masker} finds every
 * form of every value (plain, line by line, JSON-escaped, URL-encoded, base64 at each alignment)
 * in one Aho–Corasick pass and replaces it with {@code ***}: {@code mask(String)} for whole
 * strings (journal entries, outputs, JSON events, reports), a
 * {@link dev.pipe.engine.secrets.StreamMasker} per stream for output arriving in chunks, and
 * {@link dev.pipe.engine.secrets.MaskingSink} wrapping a step's {@code OutputSink}.
 * docs/secrets.md explains it for users, including what masking cannot guarantee.
 */
package dev.pipe.engine.secrets;
