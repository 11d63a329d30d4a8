/** every golden case, grouped by area (one file per area) */
import { DESCRIBE_CASES } from './describe.js';
import { GET_CASES } from './get.js';
import type { GoldenCase } from './types.js';

export type { GoldenCase };
export const CASES: GoldenCase[] = [...GET_CASES, ...DESCRIBE_CASES];
