/** `12:34 UTC`: a time of day as the bot says it in messages (rollback times, expiries). */
export function clockTime(at: Date | string): string {
  const iso = typeof at === 'string' ? at : at.toISOString();
  return `${iso.slice(11, 16)} UTC`;
}
