/**
 * Whether terminal output is coloured: only when it goes to a terminal, and never with --no-color
 * or with NO_COLOR set to anything but the empty string (no-color.org). The one place this is decided.
 */
export function colorWanted(o: { readonly isTty: boolean; readonly noColorFlag: boolean; readonly env: NodeJS.ProcessEnv }): boolean {
  return o.isTty && !o.noColorFlag && (o.env.NO_COLOR ?? '') === '';
}
