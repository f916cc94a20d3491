package dev.pipe.stdlib.steps;

import dev.pipe.stdlib.git.GitException;
import dev.pipe.stdlib.git.GitRepo;
import org.eclipse.jgit.lib.ObjectId;

/** The commit the git steps work on. */
final class Commits {
    private Commits() {
    }

    /**
     * The run's commit when the repository has it, else the repository's HEAD: a step whose
     * folder is another repository (a submodule) works on that repository's checkout.
     */
    static ObjectId target(GitRepo repo, RunPlace place) throws GitException {
        if (place != null && place.commit() != null) {
            ObjectId id = repo.resolve(place.commit());
            if (id != null) {
                return id;
            }
        }
        return repo.requireHead();
    }
}
