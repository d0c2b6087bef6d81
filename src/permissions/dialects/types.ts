import type { KeywordTree } from '../keyword-tree.js';

/**
 * Everything the permission check needs to know about one command-line family, as data: how it
 * splits a line into words (quoting), which keywords it expands from prefixes, and which pipe
 * stages only filter output. One file per dialect under src/permissions/dialects/; adding a CLI
 * means adding a file and one line in dialects/index.ts (see docs/writing-a-driver.md).
 */
export interface DialectSpec {
  /** Human name for messages ("safe pipes on Junos: ..."). */
  readonly label: string;
  /** scrapli platform names from the kinds table (`cliPlatform`) that speak this CLI. */
  readonly platforms: readonly string[];
  /** Vendors (kind prefix or inventory vendor) whose unknown kinds default to this CLI. */
  readonly vendors: readonly string[];
  readonly quoting: QuotingRules;
  readonly keywords: KeywordRules;
  readonly pipes: PipeRules;
  /** The command reaches a shell: `$`, parentheses and braces are refused too. */
  readonly shell: boolean;
  /**
   * Commands refused whatever the policy grants, by their first keyword (after expansion, so
   * `ru` is `run`): those that leave the CLI the bot checks (a Linux or Tcl shell) or change the
   * bot's own session (modes, paging, privilege), which a prompt-driven driver depends on.
   */
  readonly refused?: Readonly<Record<string, RefusedCommand>>;
}

export interface RefusedCommand {
  /** Shown to the user after "`run` is refused on Cisco IOS-XR: ". */
  readonly why: string;
}

export type QuoteChar = '"' | "'";

/**
 * How the device's CLI groups words. The tokenizer reads a command exactly this way, so the words
 * and pipe stages the policy checks are the ones the device will see.
 */
export interface QuotingRules {
  /** Characters that open and close a quoted word. Any other quote character outside quotes is refused. */
  readonly quotes: readonly QuoteChar[];
  /**
   * True only when the CLI is known to read `|` inside quotes as text (Junos: `match "ge-|xe-"`).
   * When false, a `|` inside quotes is refused: the device might start a pipe stage the policy never saw.
   */
  readonly pipeInQuotesIsText: boolean;
  /** Why a refused quote character is refused, shown to the user. */
  readonly otherQuote: string;
}

export interface KeywordRules {
  readonly tree: KeywordTree;
  /** The CLI accepts any unique prefix of a keyword. */
  readonly prefixes: boolean;
  /**
   * The whole CLI is case-insensitive, arguments included (interface names on EOS and IOS), so
   * patterns compare without case. Elsewhere only keywords are lowercased and arguments keep their case.
   */
  readonly caseInsensitive: boolean;
}

/** What may follow a pipe stage's name. */
export type PipeArgs =
  | { readonly kind: 'none' }
  /** Free text (a regex, a rollback number); `min` words at least. */
  | { readonly kind: 'any'; readonly min: number }
  /** An optional or required line count: `last`, `last 20`, `trim 10`. */
  | { readonly kind: 'count'; readonly optional: boolean }
  /** One of the listed options, then free text: `display xml`, `as json`. */
  | { readonly kind: 'option'; readonly options: readonly string[] }
  /** A Unix filter: flags from the list only (never `-f FILE`, `-r`), at most `operands` plain words (no file names). */
  | { readonly kind: 'filter'; readonly flags: readonly string[]; readonly operands: number }
  /** `head` / `tail`: nothing, `-n N` or `-N`. */
  | { readonly kind: 'lines' };

export type PipeSpec = { readonly safe: true; readonly args: PipeArgs } | { readonly safe: false; readonly why: string };

export interface PipeRules {
  /** Stage names (and option names) accept unique prefixes, as the CLI does. */
  readonly prefixes: boolean;
  /** Every stage name the CLI knows that we have an opinion on; unlisted names are refused. */
  readonly stages: Readonly<Record<string, PipeSpec>>;
  /** Why the dialect allows no pipes at all (shell-backed CLIs). */
  readonly none?: string;
}

export const NONE: PipeArgs = { kind: 'none' };
export const TEXT: PipeArgs = { kind: 'any', min: 1 };
export const OPTIONAL_TEXT: PipeArgs = { kind: 'any', min: 0 };
export const WRITES_FILE: PipeSpec = { safe: false, why: 'writes a file on the device' };

/** Quoting for CLIs whose handling of quotes the bot has not confirmed: both quotes group words, but a `|` inside is refused. */
export const UNCONFIRMED_QUOTING: QuotingRules = {
  quotes: ['"', "'"],
  pipeInQuotesIsText: false,
  otherQuote: '',
};
