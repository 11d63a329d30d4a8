/** The cluster panel's words in English and Chinese. */
import type { Lang } from '../../tutor/schema.js';

const WORDS = {
  cluster: { en: 'Cluster', zh: '集群' },
  namespace: { en: 'namespace', zh: '命名空间' },
  nodes: { en: 'Nodes and their pods', zh: '节点及其 Pod' },
  controllers: { en: 'Controllers → pods', zh: '控制器 → Pod' },
  services: { en: 'Services → endpoints', zh: '服务 → 端点' },
  noNodes: { en: 'no nodes', zh: '没有节点' },
  none: { en: 'none', zh: '无' },
  unscheduled: { en: 'not scheduled', zh: '未调度' },
  noEndpoints: { en: 'no endpoints', zh: '没有端点' },
  loading: { en: 'loading…', zh: '加载中…' },
  forbidden: { en: 'no access', zh: '无权限' },
  missing: { en: 'not served', zh: '未提供' },
  error: { en: 'unreachable, retrying', zh: '无法连接，重试中' },
  ready: { en: 'ready', zh: '就绪' },
  done: { en: 'done', zh: '完成' },
  active: { en: 'active', zh: '运行中' },
  notReady: { en: 'NotReady', zh: 'NotReady' },
  cordoned: { en: 'SchedulingDisabled', zh: 'SchedulingDisabled' },
} as const;

export type Word = keyof typeof WORDS;

export function word(w: Word, lang: Lang): string {
  return WORDS[w][lang];
}

/** "3 pods" / "3 个 Pod" */
export function podCount(n: number, lang: Lang): string {
  return lang === 'zh' ? `${n} 个 Pod` : `${n} pod${n === 1 ? '' : 's'}`;
}

/** "2 restarts" / "重启 2 次" */
export function restartCount(n: number, lang: Lang): string {
  return lang === 'zh' ? `重启 ${n} 次` : `${n} restart${n === 1 ? '' : 's'}`;
}

/** "3 endpoints" / "3 个端点" */
export function endpointCount(n: number, lang: Lang): string {
  return lang === 'zh' ? `${n} 个端点` : `${n} endpoint${n === 1 ? '' : 's'}`;
}

/** "1 not ready" / "1 个未就绪" */
export function notReadyCount(n: number, lang: Lang): string {
  return lang === 'zh' ? `${n} 个未就绪` : `${n} not ready`;
}

/** "… 5 more" / "… 还有 5 个" */
export function moreText(n: number, lang: Lang): string {
  return lang === 'zh' ? `… 还有 ${n} 个` : `… ${n} more`;
}
