import type { MessageBlock } from './block-types.js';
import { MESSAGE_BUDGET } from './limits.js';

/** Characters Slack counts for a block: every `text` string inside it (what msg_blocks_too_long sums). */
function blockTextLength(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + blockTextLength(v), 0);
  if (typeof value !== 'object' || value === null) return 0;
  let sum = 0;
  for (const [key, v] of Object.entries(value)) sum += key === 'text' && typeof v === 'string' ? v.length : blockTextLength(v);
  return sum;
}

/**
 * Collects the blocks of one message while keeping count of blocks and characters, so a renderer
 * can ask "does this fit?" before adding and say what it left out when it does not.
 */
export class MessageBudget {
  readonly #blocks: MessageBlock[] = [];
  readonly #maxBlocks: number;
  readonly #maxChars: number;
  #chars = 0;

  constructor(limits: { readonly blocks?: number; readonly chars?: number } = {}) {
    this.#maxBlocks = limits.blocks ?? MESSAGE_BUDGET.blocks;
    this.#maxChars = limits.chars ?? MESSAGE_BUDGET.chars;
  }

  get remainingBlocks(): number {
    return this.#maxBlocks - this.#blocks.length;
  }

  get remainingChars(): number {
    return this.#maxChars - this.#chars;
  }

  /** Whether these blocks fit, keeping `reserveBlocks` / `reserveChars` free for what must follow. */
  fits(blocks: readonly MessageBlock[], reserve: { readonly blocks?: number; readonly chars?: number } = {}): boolean {
    return (
      blocks.length <= this.remainingBlocks - (reserve.blocks ?? 0) &&
      blockTextLength(blocks) <= this.remainingChars - (reserve.chars ?? 0)
    );
  }

  /** Adds the blocks if they fit (all or none); returns whether they were added. */
  tryAdd(blocks: readonly MessageBlock[], reserve: { readonly blocks?: number; readonly chars?: number } = {}): boolean {
    if (!this.fits(blocks, reserve)) return false;
    this.#blocks.push(...blocks);
    this.#chars += blockTextLength(blocks);
    return true;
  }

  get blocks(): readonly MessageBlock[] {
    return this.#blocks;
  }
}
