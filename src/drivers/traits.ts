/**
 * What the core needs to know about a driver without opening it: its limits and the words it uses
 * with users. Each driver exports its own; the registry looks them up by driver name, so callers
 * read these instead of branching on vendors.
 */
export interface DriverTraits {
  /** The longest commit confirmed timeout the device takes, in seconds. */
  readonly maxConfirmSeconds: number;
  /** The deepest `rollback N` the device keeps. */
  readonly maxRollback: number;
  /** The command that shows the device's commit history: what to run when a commit's outcome is unknown. */
  readonly commitHistoryCommand: string;
  /** What configuration input looks like for this device, for forms and help. */
  readonly configHint: string;
  /**
   * Whether confirming a commit confirmed is itself a commit the device numbers (Junos, and EOS and
   * SR Linux as their drivers count); false where the confirmation only stops the timer (IOS-XR's
   * empty `commit`, IOS `configure confirm`), so undoing the change takes one rollback, not two.
   * Default true.
   */
  readonly confirmIsCommit?: boolean;
}
