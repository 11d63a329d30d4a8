/** The tutor's transcript: a typed list the UI renders (and the plain driver prints). */
import type { Text } from './schema.js';

export type TranscriptItem =
  | { type: 'lesson'; lessonId: string; title: string; summary: string }
  | { type: 'step'; lessonId: string; stepId: string; index: number; total: number; text: string; changed?: string }
  | { type: 'command'; line: string }
  | { type: 'output'; stdout: string; stderr: string; exitCode: number }
  | { type: 'kubectl-hint'; text: string; /** the corrected command line (offered at the prompt) */ suggestion?: string }
  | { type: 'alias'; from: string; to: string }
  | { type: 'hint'; tier: number; tiers: number; text: string }
  | { type: 'solution'; commands: string[] }
  | { type: 'check'; ok: boolean; reason: string }
  | { type: 'step-done'; stepId: string; why?: string; skipped?: boolean }
  | { type: 'lesson-done'; lessonId: string }
  | { type: 'info'; text: string }
  | { type: 'error'; text: string };

export function pick(t: Text | undefined, lang: 'en' | 'zh'): string {
  return t ? t[lang] : '';
}
