package dev.pipe.stdlib;

import static dev.pipe.lang.check.StepSignature.Param.optional;
import static dev.pipe.lang.check.StepSignature.Param.positional;
import static dev.pipe.lang.check.StepSignature.Param.required;

import dev.pipe.lang.check.StepCatalog;
import dev.pipe.lang.check.StepSignature;
import dev.pipe.lang.check.Type;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in steps: one explicit registry with the signature of every step a pipeline can call
 * without an import. The checker validates calls against it; execution is added step by step.
 */
public final class Builtins implements StepCatalog {
    private static final List<StepSignature> STEPS = List.of(
            step("sh", "Runs a shell command; whatever it appends to $PIPE_OUTPUT as NAME=value becomes an output.",
                    null,
                    positional("command", Type.STRING, "the command line to run"),
                    optional("shell", Type.STRING, "the shell that runs it; bash -eo pipefail by default (sh -e where bash is missing)")),
            step("http", "Sends an HTTP request and fails unless the response has the expected status.",
                    List.of("status", "body"),
                    positional("url", Type.STRING, "the address to call"),
                    optional("method", Type.STRING, "GET by default"),
                    optional("body", Type.STRING, "the request body"),
                    optional("expect", Type.NUMBER, "the status that counts as success; any 2xx by default"),
                    optional("timeout", Type.DURATION, "how long to wait for the response"),
                    optional("headers", Type.LIST, "headers as \"Name: value\" strings")),
            step("wait", "Waits for a while, such as for a service to settle.",
                    List.of(),
                    positional("duration", Type.DURATION, "how long to wait, such as 30s")),
            step("notify.webhook", "Posts a message to a chat or incident webhook.",
                    List.of("status"),
                    positional("url", Type.STRING, "the webhook address, usually a secret"),
                    optional("text", Type.STRING, "the message text"),
                    optional("payload", Type.STRING, "a JSON body to send instead of the text")),
            step("docker.build", "Builds a Docker image.",
                    List.of("image_id", "digest"),
                    required("tag", Type.STRING, "the image name and tag"),
                    optional("context", Type.STRING, "the build context folder; \".\" by default"),
                    optional("dockerfile", Type.STRING, "the Dockerfile; Dockerfile in the context by default"),
                    optional("args", Type.LIST, "build arguments as \"NAME=value\" strings")),
            step("docker.run", "Runs a command in a Docker container and fails when it fails.",
                    List.of("exit_code"),
                    positional("image", Type.STRING, "the image to run"),
                    optional("command", Type.STRING, "the command; the image's default when absent"),
                    optional("env", Type.LIST, "environment variables as \"NAME=value\" strings")),
            step("git.tag", "Tags the commit being built (HEAD of the step's repository); pushes the tag only when asked.",
                    List.of("tag", "sha"),
                    positional("name", Type.STRING, "the tag, such as v1.2.3"),
                    optional("message", Type.STRING, "an annotation message; a lightweight tag without it"),
                    optional("push", Type.BOOL, "push the tag to the remote; false by default"),
                    optional("remote", Type.STRING, "the remote to push to; origin by default")),
            step("release.changelog", "Writes release notes from the conventional commits since the last release tag.",
                    List.of("markdown", "version", "tag"),
                    optional("since", Type.STRING, "the tag to start from; the latest release tag by default"),
                    optional("output", Type.STRING, "a file to write the notes to")),
            step("release.next_version", "Works out the next semantic version from the conventional commits since the last release tag.",
                    List.of("version", "tag", "bump", "previous"),
                    optional("since", Type.STRING, "the tag to start from; the latest release tag by default")),
            step("artifact.save", "Keeps a file or folder for later stages of the same run.",
                    List.of(),
                    positional("name", Type.STRING, "the artifact's name"),
                    required("path", Type.STRING, "the file or folder to keep, relative to the step's folder")),
            step("artifact.restore", "Brings back a file or folder saved by artifact.save earlier in the run.",
                    List.of(),
                    positional("name", Type.STRING, "the artifact's name"),
                    optional("path", Type.STRING, "where to put it; where it was saved from by default")),
            step("cache", "Restores files saved under a key by an earlier run, or saves them once the stage's steps succeed.",
                    List.of("hit", "key"),
                    required("key", Type.STRING, "the cache key, such as \"npm-${git.branch}\""),
                    optional("files", Type.LIST, "files (or globs) whose contents are hashed into the key, such as lock files"),
                    required("paths", Type.LIST, "the files and folders to cache")));

    private static final Map<String, StepSignature> BY_NAME = index();

    private static StepSignature step(String name, String summary, List<String> outputs, StepSignature.Param... params) {
        return new StepSignature(name, List.of(params), outputs, summary);
    }

    private static Map<String, StepSignature> index() {
        Map<String, StepSignature> out = new LinkedHashMap<>();
        for (StepSignature s : STEPS) {
            if (out.put(s.name(), s) != null) {
                throw new IllegalStateException("built-in step " + s.name() + " is registered twice");
            }
        }
        return Map.copyOf(out);
    }

    @Override
    public Optional<StepSignature> find(String qualifiedName) {
        return Optional.ofNullable(BY_NAME.get(qualifiedName));
    }

    /** Every built-in step, in registry order. */
    @Override
    public Collection<StepSignature> all() {
        return STEPS;
    }
}
