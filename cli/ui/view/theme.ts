// Colours and symbols. Every verdict has a symbol and a word as well as a colour, so the
// screen reads the same under NO_COLOR (https://no-color.org: set and not empty).
import type { SignatureStatus } from '../../../server/types.js';

export type Colour = 'green' | 'red' | 'yellow' | 'magenta' | 'cyan' | 'blue' | 'gray';

// The web page has no process: colours there are the style sheet's.
export function colorsEnabled(env: NodeJS.ProcessEnv = globalThis.process?.env ?? {}): boolean {
  const value = env.NO_COLOR;
  return value === undefined || value === '';
}

const enabled = colorsEnabled();

/** The colour to hand Ink, or none at all when NO_COLOR is set. */
export function paint(colour: Colour | undefined): Colour | undefined {
  return enabled ? colour : undefined;
}

export interface VerdictStyle {
  symbol: string;
  colour: Colour;
}

export const VERDICTS: Record<SignatureStatus, VerdictStyle> = {
  valid: { symbol: '✓', colour: 'green' },
  invalid: { symbol: '✗', colour: 'red' },
  missing: { symbol: '?', colour: 'yellow' },
  malformed: { symbol: '!', colour: 'magenta' },
  unchecked: { symbol: '-', colour: 'gray' },
};

export const VERDICT_ORDER: readonly SignatureStatus[] = ['valid', 'invalid', 'missing', 'malformed', 'unchecked'];
