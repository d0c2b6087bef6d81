/**
 * Undoes what Slack does to the text of a slash command before clab-bot reads it:
 *  - `&amp;` `&lt;` `&gt;` are HTML-escaped: `show route | match "a>b"` arrives as `…a&gt;b…`;
 *  - links, mentions and channels arrive as `<target|label>`: `<http://r1.lab|r1.lab>` (Slack
 *    links host names on its own), `<mailto:a@b.c|a@b.c>`, `<@U123|alice>`, `<#C123|ops>`,
 *    `<!subteam^S1|@netops>`, `<!here>`; the text the user saw is kept (`r1.lab`, `@alice`, `#ops`);
 *  - macOS "smart" punctuation: “ ” ‘ ’ (and „ ‚) become plain quotes, and an em or en dash at
 *    the start of a word (`—dry-run`, typed as `--dry-run`) becomes `--`.
 * A `<` or `>` the user typed always arrives escaped, so every raw `<…>` is Slack's.
 */
export function normaliseSlackText(text: string): string {
  return text
    .replace(/<([^<>]*)>/g, (_m, inner: string) => slackEntity(inner))
    .replace(/&(amp|lt|gt);/g, (_m, name: string) => (name === 'amp' ? '&' : name === 'lt' ? '<' : '>'))
    .replace(/[\u201C\u201D\u201E\u201F]/g, '"')
    .replace(/[\u2018\u2019\u201A\u201B]/g, "'")
    .replace(/(^|\s)[\u2013\u2014](?=\p{L})/gu, '$1--');
}

/** The text Slack displays for `<target|label>` or `<target>`. */
function slackEntity(inner: string): string {
  const bar = inner.indexOf('|');
  const target = bar === -1 ? inner : inner.slice(0, bar);
  const label = bar === -1 ? undefined : inner.slice(bar + 1);
  if (target.startsWith('@')) return `@${stripSigil(label ?? target.slice(1), '@')}`;
  if (target.startsWith('#')) return `#${stripSigil(label ?? target.slice(1), '#')}`;
  if (target.startsWith('!')) {
    if (label !== undefined) return label;
    // <!here>, <!channel>, <!everyone>, <!subteam^S123>
    const [word, id] = target.slice(1).split('^');
    return `@${word === 'subteam' && id !== undefined ? id : (word ?? '')}`;
  }
  if (label !== undefined) return label;
  if (target.startsWith('mailto:')) return target.slice('mailto:'.length);
  return target;
}

function stripSigil(text: string, sigil: string): string {
  return text.startsWith(sigil) ? text.slice(1) : text;
}
