/** every golden case, grouped by area (one file per area) */
import { DESCRIBE_CASES } from './describe.js';
import { GET_CASES } from './get.js';
import { APPLY_CASES } from './apply.js';
import { STREAM_CASES } from './stream.js';
import { INFO_CASES } from './info.js';
import { CREATE_CASES, REPLACE_CASES } from './create.js';
import { DELETE_CASES } from './delete.js';
import { IMPERATIVE_CASES } from './imperative.js';
import { EXPLAIN_CASES } from './explain.js';
import type { GoldenCase } from './types.js';

export type { GoldenCase };
export const CASES: GoldenCase[] = [...GET_CASES, ...DESCRIBE_CASES, ...APPLY_CASES, ...STREAM_CASES, ...INFO_CASES, ...CREATE_CASES, ...REPLACE_CASES, ...DELETE_CASES, ...IMPERATIVE_CASES, ...EXPLAIN_CASES];
