parser grammar PipeParser;

options { tokenVocab = PipeLexer; }

@members {
    /** True when the next token starts on the line where the previous one ended. */
    boolean sameLine() {
        org.antlr.v4.runtime.Token prev = _input.LT(-1);
        org.antlr.v4.runtime.Token next = _input.LT(1);
        if (prev == null || next == null) {
            return true;
        }
        int prevEndLine = prev.getLine() + (int) prev.getText().chars().filter(c -> c == '\n').count();
        return next.getLine() == prevEndLine;
    }
}

// ---------------------------------------------------------------- file

file
    : pipelineDecl? topItem* EOF
    ;

pipelineDecl
    : PIPELINE ident
    ;

topItem
    : importDecl
    | triggerDecl
    | hookDecl
    | varsBlock
    | secretsDecl
    | environmentDecl
    | stageDecl
    | templateDecl
    ;

// `allow` grants a JavaScript module what its sandbox denies by default, such as `allow exec`.
importDecl
    : IMPORT string (AS alias=ident)? (ALLOW ident (COMMA ident)*)?
    ;

// ---------------------------------------------------------------- triggers and hooks

triggerDecl
    : ON PUSH pushFilter*                              # pushTrigger
    | ON PULL_REQUEST pushFilter*                      # pullRequestTrigger
    | ON MANUAL (LBRACE inputDecl* RBRACE)?            # manualTrigger
    | ON SCHEDULE string (TZ string)?                  # scheduleTrigger
    ;

pushFilter
    : kind=(BRANCHES | TAGS | PATHS | PATHS_IGNORE) stringList
    ;

inputDecl
    : INPUT ident COLON typeRef (ASSIGN expr)?
    ;

typeRef
    : STRING_TYPE                                      # stringType
    | BOOL_TYPE                                        # boolType
    | NUMBER_TYPE                                      # numberType
    | DURATION_TYPE                                    # durationType
    | LIST_TYPE                                        # listType
    | CHOICE LPAREN string (COMMA string)* COMMA? RPAREN  # choiceType
    ;

hookDecl
    : ON kind=(SUCCESS | FAILURE | ALWAYS) stepBlock
    ;

// ---------------------------------------------------------------- vars, secrets, environments

varsBlock
    : VARS LBRACE assignment* RBRACE
    ;

envBlock
    : ENV LBRACE assignment* RBRACE
    ;

assignment
    : ident ASSIGN expr
    ;

secretsDecl
    : SECRETS LBRACK (ident (COMMA ident)* COMMA?)? RBRACK
    ;

environmentDecl
    : ENVIRONMENT ident LBRACE envItem* RBRACE
    ;

envItem
    : URL expr                                         # envUrl
    | varsBlock                                        # envVars
    | secretsDecl                                      # envSecrets
    | approvalBlock                                    # envApproval
    | windowDecl                                       # envWindow
    | LOCK                                             # envLock
    ;

approvalBlock
    : APPROVAL LBRACE approvalItem* RBRACE
    ;

approvalItem
    : APPROVERS stringList                             # approvers
    | REQUIRED NUMBER                                  # approvalRequired
    | EXPIRES duration                                 # approvalExpires
    | SELF_APPROVAL boolLit                            # selfApproval
    ;

windowDecl
    : WINDOW string windowOption*
    ;

windowOption
    : TZ string                                        # windowTz
    | FREEZE LBRACK (freezeItem (COMMA freezeItem)* COMMA?)? RBRACK   # windowFreeze
    | OUTSIDE action=(WAIT | FAIL)                     # windowOutside
    ;

freezeItem
    : string (DOTDOT string)?
    ;

// ---------------------------------------------------------------- stages

stageDecl
    : STAGE ident LBRACE stageItem* RBRACE
    | STAGE ident FROM qualifiedName (LBRACE (stageItem | templateArg)* RBRACE)?
    ;

// ---------------------------------------------------------------- templates

// `template stage NAME { param ... stage items }` or `template steps NAME { param ... steps and uses }`.
// The builder refuses stage settings in a steps template, so that the message can say why.
templateDecl
    : TEMPLATE kind=(STAGE | STEPS) ident LBRACE (paramDecl | stageItem)* RBRACE
    ;

paramDecl
    : PARAM ident COLON typeRef (ASSIGN expr)?
    ;

// An argument of `stage NAME from TEMPLATE { ... }` or `use TEMPLATE { ... }`, written like a step's named argument.
templateArg
    : ident COLON expr
    ;

stageItem
    : NEEDS identList                                  # stageNeeds
    | WHEN expr                                        # stageWhen
    | RUNNER LOCAL                                     # stageRunnerLocal
    | RUNNER DOCKER expr (LBRACE dockerOption* RBRACE)?   # stageRunnerDocker
    | WORKDIR expr                                     # stageWorkdir
    | MATRIX LBRACE matrixAxis* RBRACE                 # stageMatrix
    | serviceDecl                                      # stageService
    | envBlock                                         # stageEnv
    | DEPLOY TO deployTarget (VERSION expr)?           # stageDeploy
    | stepDecl                                         # stageStep
    | verifyBlock                                      # stageVerify
    | ROLLBACK stepBlock                               # stageRollback
    | FINALLY stepBlock                                # stageFinally
    | OUTPUT ident ASSIGN expr                         # stageOutput
    | ALLOW_FAILURE                                    # stageAllowFailure
    | TIMEOUT duration                                 # stageTimeout
    | USE qualifiedName (LBRACE templateArg* RBRACE)?  # stageUse
    ;

// An environment, or in a template `params.NAME` naming one through a string parameter.
deployTarget
    : ident (DOT ident)?
    ;

dockerOption
    : USER expr                                        # dockerUser
    | WORKDIR expr                                     # dockerWorkdir
    ;

matrixAxis
    : ident LBRACK (expr (COMMA expr)* COMMA?)? RBRACK
    ;

serviceDecl
    : SERVICE ident expr (LBRACE serviceItem* RBRACE)?
    ;

serviceItem
    : envBlock                                         # serviceEnv
    | READY expr (RETRIES NUMBER)? (EVERY duration)?   # serviceReady
    ;

// A block of steps: named steps or bare calls (anonymous steps).
stepBlock
    : LBRACE (stepDecl | call)* RBRACE
    ;

stepDecl
    : STEP string LBRACE call stepOption* RBRACE
    ;

stepOption
    : RETRY NUMBER (BACKOFF duration)?                 # stepRetry
    | TIMEOUT duration                                 # stepTimeout
    | envBlock                                         # stepEnv
    | WHEN expr                                        # stepWhen
    | ALLOW_FAILURE                                    # stepAllowFailure
    ;

// The unnamed argument starts on the line of the step's name; otherwise `{ cleanup <newline> notify ... }`
// would read the second call as the first one's argument. Named arguments may wrap freely.
call
    : qualifiedName ({sameLine()}? expr)? namedArg*
    ;

namedArg
    : ident COLON expr
    ;

verifyBlock
    : VERIFY (FOR duration)? (EVERY duration)? LBRACE verifyCheck* RBRACE
    ;

verifyCheck
    : HTTP expr httpOption*                            # httpCheck
    | CHECK string LBRACE call checkOption* RBRACE     # commandCheck
    ;

httpOption
    : EXPECT NUMBER                                    # httpExpect
    | CONTAINS expr                                    # httpContains
    | JSON string EQEQ expr                            # httpJson
    | TIMEOUT duration                                 # httpTimeout
    | RETRIES NUMBER                                   # httpRetries
    | EVERY duration                                   # httpEvery
    ;

checkOption
    : RETRIES NUMBER                                   # checkRetries
    | EVERY duration                                   # checkEvery
    | TIMEOUT duration                                 # checkTimeout
    ;

// ---------------------------------------------------------------- expressions

expr
    : primary                                          # primaryExpr
    | expr DOT ident                                   # memberExpr
    | expr LPAREN (expr (COMMA expr)* COMMA?)? RPAREN  # callExpr
    | BANG expr                                        # notExpr
    | <assoc=right> expr QQ expr                       # coalesceExpr
    | expr op=(LT | GT | LE | GE) expr                 # compareExpr
    | expr op=(EQEQ | NEQ | TILDE) expr                # equalityExpr
    | expr ANDAND expr                                 # andExpr
    | expr OROR expr                                   # orExpr
    ;

primary
    : string                                           # stringPrimary
    | NUMBER                                           # numberPrimary
    | DURATION                                         # durationPrimary
    | boolLit                                          # boolPrimary
    | LBRACK (expr (COMMA expr)* COMMA?)? RBRACK       # listPrimary
    | LPAREN expr RPAREN                               # parenPrimary
    | ident                                            # identPrimary
    ;

boolLit
    : TRUE | FALSE
    ;

// A bare number is accepted here so that the checker can say "add a unit" instead of a syntax error.
// `params.NAME` is a template's duration parameter; the checker refuses it outside templates.
duration
    : DURATION | NUMBER | ident DOT ident
    ;

string
    : STRING_OPEN stringPart* STR_CLOSE                # plainString
    | TRIPLE_OPEN triplePart* TRI_CLOSE                # tripleString
    ;

stringPart
    : STR_TEXT                                         # strText
    | STR_ESCAPE                                       # strEscape
    | STR_INTERP expr RBRACE                           # strInterp
    ;

triplePart
    : TRI_TEXT                                         # triText
    | TRI_ESCAPE                                       # triEscape
    | TRI_INTERP expr RBRACE                           # triInterp
    ;

stringList
    : LBRACK (string (COMMA string)* COMMA?)? RBRACK
    ;

identList
    : LBRACK (ident (COMMA ident)* COMMA?)? RBRACK
    ;

qualifiedName
    : ident (DOT ident)*
    ;

// Keywords are reserved only where they start an item, so they stay usable as names.
ident
    : IDENT
    | PIPELINE | IMPORT | AS | ON | PUSH | PULL_REQUEST | MANUAL | SCHEDULE | SUCCESS | FAILURE
    | ALWAYS | BRANCHES | TAGS | PATHS | PATHS_IGNORE | INPUT | TZ | VARS | SECRETS | ENVIRONMENT
    | URL | APPROVAL | APPROVERS | REQUIRED | EXPIRES | SELF_APPROVAL | WINDOW | FREEZE | OUTSIDE
    | WAIT | FAIL | LOCK | STAGE | NEEDS | WHEN | RUNNER | LOCAL | DOCKER | USER | WORKDIR | MATRIX
    | SERVICE | READY | ENV | DEPLOY | TO | VERSION | STEP | RETRY | BACKOFF | TIMEOUT | VERIFY
    | FOR | EVERY | HTTP | EXPECT | CONTAINS | JSON | RETRIES | CHECK | ROLLBACK | FINALLY
    | OUTPUT | ALLOW_FAILURE | ALLOW | STRING_TYPE | BOOL_TYPE | NUMBER_TYPE | DURATION_TYPE | CHOICE
    | LIST_TYPE | TEMPLATE | STEPS | PARAM | USE | FROM
    ;
