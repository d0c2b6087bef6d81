/**
 * A test that needs a system package (tmux, PyEZ, ...): under CI (`CI` set, .ci/run installs every
 * package) a missing one fails the run, like a missing PostgreSQL; elsewhere the suite is skipped
 * with a notice saying what is missing and how to install it.
 */
export function availableOrSkip(what: string, availability: { available: true } | { available: false; reason: string }): boolean {
  if (availability.available) return true;
  if (process.env['CI']) throw new Error(`CI must run the ${what}: ${availability.reason} (see .ci/run)`);
  console.warn(`\n*** ${what} SKIPPED: ${availability.reason} ***\n`);
  return false;
}
