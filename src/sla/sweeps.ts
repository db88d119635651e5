// The sweeps the ticker runs, in order. Each lives beside what it acts on.
import type { Sweep } from './ticker.js';

export const SWEEPS: Sweep[] = [];
