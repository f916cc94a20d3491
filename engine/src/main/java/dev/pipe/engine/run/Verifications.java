package dev.pipe.engine.run;

import dev.pipe.engine.eval.Evaluator;
import dev.pipe.engine.eval.ExprText;
import dev.pipe.engine.eval.Result;
import dev.pipe.engine.eval.UnknownValueException;
import dev.pipe.engine.verify.CheckSpec;
import dev.pipe.engine.verify.HttpProbe;
import dev.pipe.engine.verify.JsonAssertion;
import dev.pipe.engine.verify.Probe;
import dev.pipe.engine.verify.VerifySpec;
import dev.pipe.lang.syntax.Stage;
import dev.pipe.lang.time.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * Turns a stage's {@code verify} block into a {@link VerifySpec} at run time: every URL, text
 * and expected value evaluated now, secrets revealed (a check needs the real address).
 */
final class Verifications {
    private Verifications() {
    }

    /**
     * @param commandProbe makes the probe of a {@code check "NAME" { ... }} from its name and the check
     * @throws UnknownValueException when a value is not known, or a check cannot be made (a bad
     *     URL or JSON path), with one sentence that says which
     */
    static VerifySpec spec(Stage.Verify verify, Evaluator eval,
            BiFunction<String, Stage.Check.Command, Probe> commandProbe) {
        List<CheckSpec> checks = new ArrayList<>();
        for (Stage.Check check : verify.checks()) {
            try {
                checks.add(switch (check) {
                    case Stage.Check.Http h -> http(h, eval);
                    case Stage.Check.Command c -> {
                        String name = eval.reveal(c.name());
                        yield new CheckSpec(name, retries(c.retries()), every(c.every()), commandProbe.apply(name, c));
                    }
                });
            } catch (IllegalArgumentException e) {
                throw new UnknownValueException("verify cannot run: " + e.getMessage());
            }
        }
        try {
            return new VerifySpec(verify.soak() == null ? null : Durations.parse(verify.soak().text()),
                    every(verify.every()), checks);
        } catch (IllegalArgumentException e) {
            throw new UnknownValueException("verify cannot run: " + e.getMessage());
        }
    }

    private static CheckSpec http(Stage.Check.Http h, Evaluator eval) {
        String url = eval.reveal(h.url());
        List<JsonAssertion> json = new ArrayList<>();
        for (Stage.JsonAssert a : h.json()) {
            Result r = eval.evaluate(a.value());
            if (!(r instanceof Result.Known k)) {
                throw new UnknownValueException("the expected value `" + ExprText.print(a.value()) + "` of json \""
                        + eval.reveal(a.path()) + "\" is not known");
            }
            json.add(JsonAssertion.of(eval.reveal(a.path()), k.value()));
        }
        HttpProbe probe = new HttpProbe(url, h.expect() == null ? null : h.expect().value().intValue(),
                h.contains() == null ? null : eval.reveal(h.contains()), json,
                h.timeout() == null ? null : Durations.parse(h.timeout().text()));
        // The check is named by its display form, so that a secret in the address is shown as ***.
        return new CheckSpec("GET " + eval.display(h.url()), retries(h.retries()), every(h.every()), probe);
    }

    private static int retries(dev.pipe.lang.syntax.Expr.Num n) {
        return n == null ? 0 : n.value().intValue();
    }

    private static java.time.Duration every(dev.pipe.lang.syntax.Expr.Dur d) {
        return d == null ? null : Durations.parse(d.text());
    }
}
