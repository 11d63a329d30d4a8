/** The tutor's own words (not lesson text), in both languages. */
import type { Lang } from './schema.js';

const M = {
  stepDone: { en: 'Step done.', zh: '这一步完成了。' },
  lessonDone: { en: 'Lesson complete: {id}', zh: '课程完成：{id}' },
  noMoreHints: { en: 'No more hints: type /solution to see the command.', zh: '没有更多提示了：输入 /solution 查看命令。' },
  solutionNote: { en: 'Type it (or paste it) yourself: the step counts once the cluster shows the result.', zh: '请自己输入（或粘贴）它：集群出现结果后这一步才算完成。' },
  skipped: { en: 'Step skipped.', zh: '已跳过这一步。' },
  background: { en: 'running in the background: {line} (stop it with /stop {id})', zh: '在后台运行：{line}（用 /stop {id} 停止）' },
  interactive: { en: 'connected: what you type now goes to the container; `exit` or Ctrl-D ends the session, Ctrl-C twice cuts it off', zh: '已连接：现在输入的内容会发给容器；`exit` 或 Ctrl-D 结束会话，连按两次 Ctrl-C 强行断开' },
  notYet: { en: 'Not yet: {reason}', zh: '还没有：{reason}' },
  unknownTutorCommand: { en: 'Unknown tutor command {cmd}. Type /help for the list.', zh: '未知的导师命令 {cmd}。输入 /help 查看列表。' },
  unknownLesson: { en: 'No lesson "{id}". Type /lessons for the list.', zh: '没有课程 "{id}"。输入 /lessons 查看列表。' },
  settingUp: { en: 'Setting up the lesson…', zh: '正在准备课程……' },
  reset: { en: 'The lesson was set up again from the start of this step.', zh: '已重新准备课程。' },
  sandboxOnly: { en: 'This step needs the kube-tutor sandbox; on a real cluster, /skip it.', zh: '这一步需要 kube-tutor 沙箱；在真实集群上请用 /skip 跳过。' },
  help: {
    en: 'Tutor commands: /hint, /solution, /skip, /next, /prev, /reset, /lessons, /lesson ID, /progress [export|import FILE], /stop, /help. Anything else runs as kubectl (also `k …` or just `get pods`) or `curl`.',
    zh: '导师命令：/hint、/solution、/skip、/next、/prev、/reset、/lessons、/lesson ID、/progress [export|import 文件]、/stop、/help。其他输入会作为 kubectl（也可以写 `k …` 或直接 `get pods`）或 `curl` 执行。',
  },
} as const;

export type MessageId = keyof typeof M;

export function msg(id: MessageId, lang: Lang, vars: Record<string, string> = {}): string {
  return M[id][lang].replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? `{${k}}`);
}
