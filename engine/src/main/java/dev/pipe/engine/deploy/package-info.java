/**
 * Deployments: what guards an environment and what it remembers.
 *
 * <p>A stage that deploys meets its environment's gates in order: the
 * {@link dev.pipe.engine.deploy.EnvironmentLock} (one deployment at a time across every
 * {@code pipe} process on the machine, in arrival order), the window, then the approval, whose
 * rules {@link dev.pipe.engine.deploy.Approvals} decides as pure logic. When the stage ends, its
 * attempt is appended to the environment's history by the {@link dev.pipe.engine.deploy.Ledger},
 * which also answers what runs there now, what a rollback restores and which versions
 * {@code pipe rollback --to} may go back to.
 *
 * <p>Everything lives under {@code <state>/environments/<env>/} ({@link
 * dev.pipe.engine.deploy.EnvironmentDir}), beside the runs in {@code <state>/runs/}.
 * docs/deployments.md describes the files and the rules for people.
 */
package dev.pipe.engine.deploy;
