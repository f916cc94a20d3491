package dev.pipe.lang.diag;

/**
 * The catalogue of diagnostics. A code is stable: docs/diagnostics.md and the tests refer to it.
 * Templates are {@link String#format} patterns; messages are sentences for a person in a hurry.
 */
public enum Code {
    // Reading and syntax (E0xx)
    SYNTAX("E001", Severity.ERROR, "%s"),
    UNTERMINATED_STRING("E002", Severity.ERROR, "this string is not closed before the end of the line"),
    TOO_DEEP("E003", Severity.ERROR, "this is nested more than %d levels deep; pipe stops here to stay fast and safe"),
    BAD_ESCAPE("E004", Severity.ERROR, "`%s` is not an escape pipe knows: use \\\", \\\\, \\n, \\t, \\r or \\$"),
    EMPTY_FILE("E005", Severity.ERROR, "the file is empty: a pipeline starts with `pipeline NAME`"),
    DUPLICATE_SETTING("E006", Severity.ERROR, "`%s` is set twice in %s"),
    MISSING_PIPELINE_NAME("E007", Severity.ERROR, "the file does not start with `pipeline NAME`"),
    NO_STAGES("E008", Severity.ERROR, "pipeline `%s` has no stages, so a run would do nothing"),

    // Names and references (E1xx)
    DUPLICATE_STAGE("E101", Severity.ERROR, "stage `%s` is declared twice"),
    DUPLICATE_STEP("E102", Severity.ERROR, "step `%s` is declared twice in %s"),
    DUPLICATE_ENVIRONMENT("E103", Severity.ERROR, "environment `%s` is declared twice"),
    DUPLICATE_INPUT("E104", Severity.ERROR, "input `%s` is declared twice"),
    DUPLICATE_NAME("E105", Severity.ERROR, "%s `%s` is %s twice"),
    UNKNOWN_STAGE("E110", Severity.ERROR, "stage `%s` in needs does not exist"),
    CYCLE("E111", Severity.ERROR, "these stages need each other in a cycle: %s"),
    UNKNOWN_ENVIRONMENT("E112", Severity.ERROR, "environment `%s` is not declared"),
    UNKNOWN_REFERENCE("E113", Severity.ERROR, "`%s` is not defined here"),
    UNDEFINED_MATRIX_AXIS("E114", Severity.ERROR, "matrix axis `%s` is not defined in %s"),
    UNKNOWN_OUTPUT_STEP("E115", Severity.ERROR, "step `%s` does not exist in %s"),
    UNKNOWN_OUTPUT("E116", Severity.ERROR, "%s `%s` has no output `%s`"),
    UNKNOWN_SECRET("E117", Severity.ERROR, "secret `%s` is not declared for this %s"),
    STAGE_NOT_NEEDED("E118", Severity.ERROR, "stage `%s` reads outputs of `%s`, which it does not need"),
    SELF_NEED("E119", Severity.ERROR, "stage `%s` needs itself"),
    VAR_CYCLE("E120", Severity.ERROR, "these vars refer to each other in a cycle: %s"),
    STEP_NOT_RUN_YET("E121", Severity.ERROR, "step `%s` has not run yet at this point, so its outputs do not exist"),

    // Types (E2xx)
    TYPE_MISMATCH("E201", Severity.ERROR, "%s"),
    SECRET_IN_CONDITION("E202", Severity.ERROR, "secret `%s` is used in a condition; secrets may only be passed to steps"),
    SECRET_IN_OUTPUT("E203", Severity.ERROR, "secret `%s` is used in %s; a secret would leak there"),
    UNKNOWN_FUNCTION("E204", Severity.ERROR, "`%s` is not a function pipe knows"),

    // Steps (E3xx)
    UNKNOWN_STEP_FUNCTION("E301", Severity.ERROR, "`%s` is not a step pipe knows"),
    UNKNOWN_ARGUMENT("E302", Severity.ERROR, "step `%s` has no argument `%s`"),
    MISSING_ARGUMENT("E303", Severity.ERROR, "step `%s` needs argument `%s`"),
    WRONG_ARGUMENT_TYPE("E304", Severity.ERROR, "argument `%s` of step `%s` must be %s, not %s"),
    NO_POSITIONAL_ARGUMENT("E305", Severity.ERROR, "step `%s` takes no unnamed argument; name it, e.g. `%s: ...`"),

    // Values (E4xx)
    INVALID_DURATION("E401", Severity.ERROR, "%s"),
    INVALID_CRON("E402", Severity.ERROR, "%s"),
    INVALID_WINDOW("E403", Severity.ERROR, "%s"),
    UNKNOWN_TIME_ZONE("E404", Severity.ERROR, "%s"),
    INVALID_DATE("E405", Severity.ERROR, "%s"),
    REQUIRED_EXCEEDS_APPROVERS("E406", Severity.ERROR, "approval requires %s approvals but lists only %d approver%s"),
    INVALID_VALUE("E407", Severity.ERROR, "%s"),

    // Modules (E5xx)
    IMPORT_NOT_FOUND("E501", Severity.ERROR, "cannot find module `%s`"),
    MODULE_INVALID("E520", Severity.ERROR, "module `%s` cannot be used: %s"),
    UNKNOWN_PERMISSION("E521", Severity.ERROR, "%s"),
    // .pipe modules and templates (E53x)
    MODULE_CYCLE("E530", Severity.ERROR, "these modules import each other in a cycle: %s"),
    NOT_IN_MODULE("E531", Severity.ERROR, "a module holds only imports and templates, so %s cannot be here"),
    UNKNOWN_TEMPLATE("E532", Severity.ERROR, "`%s` is not a template pipe knows"),
    UNKNOWN_TEMPLATE_ARGUMENT("E533", Severity.ERROR, "template `%s` has no parameter `%s`"),
    MISSING_TEMPLATE_ARGUMENT("E534", Severity.ERROR, "template `%s` needs argument `%s`"),
    WRONG_TEMPLATE_ARGUMENT("E535", Severity.ERROR, "argument `%s` of template `%s` must be %s, not %s"),
    WRONG_TEMPLATE_KIND("E536", Severity.ERROR, "`%s` is a %s template, so %s"),
    TEMPLATE_SETTING_TWICE("E537", Severity.ERROR, "`%s` is set both by template `%s` and by stage `%s`"),
    UNKNOWN_PARAMETER("E538", Severity.ERROR, "`params.%s` is not a parameter of template `%s`"),
    TEMPLATE_RECURSION("E539", Severity.ERROR, "template `%s` uses itself"),
    TOO_MANY_EXPANSIONS("E540", Severity.ERROR, "templates expand to more than %d copies; pipe stops here to stay fast and safe"),

    // Warnings (W6xx)
    ROLLBACK_WITHOUT_DEPLOY("W601", Severity.WARNING, "stage `%s` has a rollback but deploys nothing, so the rollback never runs"),
    STAGE_NEVER_RUNS("W602", Severity.WARNING, "stage `%s` can never run: %s"),
    UNUSED_VALUE("W603", Severity.WARNING, "%s"),
    GIT_UNAVAILABLE("W610", Severity.WARNING, "`%s` is not available here: %s");

    private final String id;
    private final Severity severity;
    private final String template;

    Code(String id, Severity severity, String template) {
        this.id = id;
        this.severity = severity;
        this.template = template;
    }

    public String id() {
        return id;
    }

    public Severity severity() {
        return severity;
    }

    public String template() {
        return template;
    }

    public String format(Object... args) {
        return args.length == 0 ? template : String.format(template, args);
    }
}
