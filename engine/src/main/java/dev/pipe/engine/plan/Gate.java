package dev.pipe.engine.plan;

import java.util.List;

/**
 * A gate a deploying stage meets before its steps.
 *
 * @param kind {@code lock}, {@code window} or {@code approval}
 * @param summary one sentence for people
 * @param window details of a window gate, else null
 * @param approval details of an approval gate, else null
 */
public record Gate(String kind, String summary, WindowGate window, ApprovalGate approval) {

    /**
     * {@code window "SPEC" tz "ZONE" freeze [...] outside wait|fail}, judged at the plan's clock.
     *
     * @param open whether the window is open at the clock; null in the digest's clock-free form
     * @param frozen whether the clock falls on a freeze date; null in the clock-free form
     * @param opensAt when a closed window next opens (ISO-8601 with offset), or null
     * @param closesAt when an open window closes (ISO-8601 with offset), or null
     */
    public record WindowGate(
            String spec,
            String tz,
            List<String> freeze,
            String outside,
            Boolean open,
            Boolean frozen,
            String opensAt,
            String closesAt) {
        public WindowGate {
            freeze = List.copyOf(freeze);
        }
    }

    /**
     * {@code approval { approvers [...] required N expires D self_approval B }} with defaults filled in.
     *
     * @param eligible approvers who may approve this run (without its triggerer when self-approval is off)
     * @param expires as written, or null when approvals do not expire
     */
    public record ApprovalGate(
            List<String> approvers,
            int required,
            String expires,
            boolean selfApproval,
            List<String> eligible) {
        public ApprovalGate {
            approvers = List.copyOf(approvers);
            eligible = List.copyOf(eligible);
        }
    }
}
