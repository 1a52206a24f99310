/**
 * What kind of work a system actor's stored label names (the audit log keeps the label as written, for the record
 * and its actor filter; the web app words the kind in the reader's language above it). `null`: a label Parapet does
 * not recognise, shown as it is.
 */
export type SystemActorKind = "crisis_mode" | "drill_script" | "drill" | "command_line" | "demo" | "scim" | "external_approver" | "automatic";

export function systemActorKind(label: string): SystemActorKind | null {
  if (/^crisis CR-\d+( |$)/.test(label)) return "crisis_mode";
  if (label === "drill injects") return "drill_script";
  if (label === "drill") return "drill";
  if (label === "cli") return "command_line";
  if (label === "demo") return "demo";
  if (label.startsWith("SCIM (")) return "scim";
  if (label.endsWith(" (external)")) return "external_approver";
  // Jobs are named "<area>.<job>"; the publisher, listening's pipeline and reconnect links act by themselves too.
  if (/^[a-z-]+\.[a-z-]+$/.test(label) || label === "publisher" || label === "listening" || label === "reconnect-link") return "automatic";
  return null;
}
