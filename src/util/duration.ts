/** A duration for people, the same in the terminal and in Slack: `340 ms`, `1.2 s`. */
export function duration(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`;
}
