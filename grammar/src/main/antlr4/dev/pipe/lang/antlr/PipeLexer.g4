lexer grammar PipeLexer;

// Strings use lexer modes so that `${ ... }` interpolations may hold any expression,
// including other strings. Braces push and pop the default mode so that the `}` that
// closes an interpolation returns to the string it came from.

@members {
    @Override
    public int popMode() {
        // An unbalanced `}` at top level must not blow up the lexer; the parser reports it.
        return _modeStack.isEmpty() ? DEFAULT_MODE : super.popMode();
    }
}

PIPELINE      : 'pipeline';
IMPORT        : 'import';
AS            : 'as';
ON            : 'on';
PUSH          : 'push';
PULL_REQUEST  : 'pull_request';
MANUAL        : 'manual';
SCHEDULE      : 'schedule';
SUCCESS       : 'success';
FAILURE       : 'failure';
ALWAYS        : 'always';
BRANCHES      : 'branches';
TAGS          : 'tags';
PATHS         : 'paths';
PATHS_IGNORE  : 'paths_ignore';
INPUT         : 'input';
TZ            : 'tz';
VARS          : 'vars';
SECRETS       : 'secrets';
ENVIRONMENT   : 'environment';
URL           : 'url';
APPROVAL      : 'approval';
APPROVERS     : 'approvers';
REQUIRED      : 'required';
EXPIRES       : 'expires';
SELF_APPROVAL : 'self_approval';
WINDOW        : 'window';
FREEZE        : 'freeze';
OUTSIDE       : 'outside';
WAIT          : 'wait';
FAIL          : 'fail';
LOCK          : 'lock';
STAGE         : 'stage';
NEEDS         : 'needs';
WHEN          : 'when';
RUNNER        : 'runner';
LOCAL         : 'local';
DOCKER        : 'docker';
USER          : 'user';
WORKDIR       : 'workdir';
MATRIX        : 'matrix';
SERVICE       : 'service';
READY         : 'ready';
ENV           : 'env';
DEPLOY        : 'deploy';
TO            : 'to';
VERSION       : 'version';
STEP          : 'step';
RETRY         : 'retry';
BACKOFF       : 'backoff';
TIMEOUT       : 'timeout';
VERIFY        : 'verify';
FOR           : 'for';
EVERY         : 'every';
HTTP          : 'http';
EXPECT        : 'expect';
CONTAINS      : 'contains';
JSON          : 'json';
RETRIES       : 'retries';
CHECK         : 'check';
ROLLBACK      : 'rollback';
FINALLY       : 'finally';
OUTPUT        : 'output';
ALLOW_FAILURE : 'allow_failure';
ALLOW         : 'allow';
TRUE          : 'true';
FALSE         : 'false';
STRING_TYPE   : 'string';
BOOL_TYPE     : 'bool';
NUMBER_TYPE   : 'number';
DURATION_TYPE : 'duration';
CHOICE        : 'choice';
LIST_TYPE     : 'list';
TEMPLATE      : 'template';
STEPS         : 'steps';
PARAM         : 'param';
USE           : 'use';
FROM          : 'from';

LBRACE   : '{' -> pushMode(DEFAULT_MODE);
RBRACE   : '}' -> popMode;
LBRACK   : '[';
RBRACK   : ']';
LPAREN   : '(';
RPAREN   : ')';
COMMA    : ',';
COLON    : ':';
DOTDOT   : '..';
DOT      : '.';
EQEQ     : '==';
NEQ      : '!=';
LE       : '<=';
GE       : '>=';
LT       : '<';
GT       : '>';
ANDAND   : '&&';
OROR     : '||';
QQ       : '??';
BANG     : '!';
TILDE    : '~';
ASSIGN   : '=';

// A number immediately followed by letters is a duration such as 90s, 10m, 1h30m.
// The checker validates the units so that `10x` gets a precise message.
DURATION : DIGIT+ ('.' DIGIT+)? LETTER+ (DIGIT+ LETTER+)*;
NUMBER   : DIGIT+ ('.' DIGIT+)?;
IDENT    : (LETTER | '_') (LETTER | DIGIT | '_' | '-')*;

TRIPLE_OPEN : '"""' -> pushMode(TRIPLE);
STRING_OPEN : '"' -> pushMode(STR);

LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN);
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN);
WS            : [ \t\r\n\f\u00A0\uFEFF]+ -> skip;

// Anything else becomes a single token the parser rejects with a readable message.
UNEXPECTED_CHAR : . ;

fragment DIGIT  : [0-9];
fragment LETTER : [a-zA-Z];

mode STR;
STR_INTERP  : '${' -> pushMode(DEFAULT_MODE);
STR_ESCAPE  : '\\' ~[\r\n];
STR_TEXT    : ~["\\$\r\n]+ | '$';
STR_CLOSE   : '"' -> popMode;
STR_NEWLINE : [\r\n] -> popMode;

mode TRIPLE;
TRI_INTERP : '${' -> pushMode(DEFAULT_MODE);
TRI_ESCAPE : '\\$' | '\\\\';
TRI_CLOSE  : '"""' -> popMode;
TRI_TEXT   : ~["\\$]+ | '$' | '"' | '\\';
