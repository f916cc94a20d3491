package dev.pipe.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Which files a command works on when the user names none. */
final class PipeFiles {
    private PipeFiles() {
    }

    static List<Path> pipeFiles(List<Path> given) {
        if (given != null && !given.isEmpty()) {
            return given;
        }
        try (Stream<Path> s = Files.list(Path.of("."))) {
            List<Path> found = s.filter(p -> p.getFileName().toString().endsWith(".pipe"))
                    .filter(Files::isRegularFile)
                    .map(p -> p.getFileName())
                    .sorted()
                    .toList();
            if (found.isEmpty()) {
                throw CliException.usage("no .pipe files in the current directory; name the files to use");
            }
            return found;
        } catch (IOException e) {
            throw CliException.usage("cannot list the current directory: " + e.getMessage());
        }
    }
}
