package dev.pipe.engine.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretStoreTest {
    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path f = dir.resolve(".secrets");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void theEnvironmentOverridesTheFile() throws IOException {
        Path f = file("TOKEN=from-file\nDATABASE_URL=postgres://file\nONLY_FILE=abc\n");
        SecretStore store = SecretStore.load(f, Map.of(
                "PIPE_SECRET_TOKEN", "from-env",
                "PIPE_SECRET_DATABASE_URL", "",
                "PIPE_SECRET_", "no name",
                "PATH", "/usr/bin",
                "TOKEN", "not a secret variable"));
        assertEquals(Optional.of("from-env"), store.get("TOKEN"));
        assertEquals(Optional.of("postgres://file"), store.get("DATABASE_URL"), "an empty variable hides nothing");
        assertEquals(Set.of("DATABASE_URL", "ONLY_FILE", "TOKEN"), store.names());
        assertEquals(Optional.of("PIPE_SECRET_TOKEN"), store.origin("TOKEN"));
        assertEquals(Optional.of("line 2 of " + f), store.origin("DATABASE_URL"));
        assertEquals(Map.of("TOKEN", "from-env", "ONLY_FILE", "abc"), store.require(List.of("TOKEN", "ONLY_FILE", "TOKEN")));
    }

    @Test
    void stepsDoNotInheritTheSecretVariables() {
        assertEquals(Map.of("PATH", "/bin", "PIPE_SECRETS", "x"), SecretStore.withoutSecretVariables(
                Map.of("PATH", "/bin", "PIPE_SECRET_TOKEN", "t0k3n", "PIPE_SECRET_", "", "PIPE_SECRETS", "x")));
    }

    @Test
    void missingSecretsAreNamedInOneMessage() throws IOException {
        Path f = file("REDIS_URL=\ndatabase_url=postgres://x\nTOKEN=t0k3n\n");
        SecretStore store = SecretStore.load(f, Map.of());
        var e = assertThrows(SecretException.class, () -> store.require(List.of("TOKEN", "DATABASE_URL", "REDIS_URL")));
        assertEquals("missing secrets DATABASE_URL and REDIS_URL: put them in the secrets file " + f
                + " or set PIPE_SECRET_DATABASE_URL and PIPE_SECRET_REDIS_URL."
                + " There is a secret database_url (from line 2 of " + f + "); names are exact, so rename it DATABASE_URL."
                + " Line 1 of " + f + " sets REDIS_URL to an empty value, which counts as missing.", e.getMessage());
        assertFalse(e.getMessage().contains("postgres://x"), e.getMessage());

        SecretStore env = SecretStore.load(null, Map.of("PIPE_SECRET_A", "", "PIPE_SECRET_B", "bbb"));
        e = assertThrows(SecretException.class, () -> env.require(List.of("A", "B", "C", "D")));
        assertEquals("missing secrets A, C and D: set PIPE_SECRET_A, PIPE_SECRET_C and PIPE_SECRET_D,"
                + " or put them in a dotenv file given with --secrets-file."
                + " The environment variable PIPE_SECRET_A sets A to an empty value, which counts as missing.", e.getMessage());
        e = assertThrows(SecretException.class, () -> env.require(List.of("C")));
        assertEquals("missing secret C: set PIPE_SECRET_C, or put it in a dotenv file given with --secrets-file.", e.getMessage());
        assertEquals(Map.of(), env.require(List.of()));
    }

    @Test
    void fileProblemsAreClear() throws IOException {
        Path missing = dir.resolve("nope.env");
        var e = assertThrows(SecretException.class, () -> SecretStore.load(missing, Map.of()));
        assertEquals("cannot read the secrets file " + missing + ": it does not exist.", e.getMessage());
        Path bad = file("A=1\nB=\"open\n");
        e = assertThrows(SecretException.class, () -> SecretStore.load(bad, Map.of()));
        assertEquals(bad + ":2: the value of B opens a \" quote that is never closed", e.getMessage());
        Path binary = dir.resolve("bin");
        Files.write(binary, new byte[] {'A', '=', (byte) 0xff, (byte) 0xfe});
        e = assertThrows(SecretException.class, () -> SecretStore.load(binary, Map.of()));
        assertEquals("cannot read the secrets file " + binary + ": it is not UTF-8 text.", e.getMessage());
    }

    @Test
    void valuesNeverShow() throws IOException {
        SecretStore store = SecretStore.load(file("TOKEN=t0k3n-value\nPIN=12\n"), Map.of("PIPE_SECRET_KEY", "k3y-value"));
        assertEquals("SecretStore[KEY, PIN, TOKEN]", store.toString());
        assertEquals(List.of("PIN"), store.unmaskable());
        Masker masker = store.masker();
        assertFalse(masker.toString().contains("value"), masker.toString());
        assertEquals("*** and *** but 12", masker.mask("t0k3n-value and k3y-value but 12"));
        assertTrue(SecretStore.of(Map.of()).masker().isEmpty());
    }
}
