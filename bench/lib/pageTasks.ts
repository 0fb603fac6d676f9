/**
 * The long tasks of a page's main thread, from a Chromium performance trace: what each task of
 * 50 ms or more (JOIN_LONG_TASK_MS) was made of (script, style, layout, paint, compiling), so that
 * a benchmark can say which part of the page holds up a step. Used by bench/join.ts with
 * JOIN_LONG_TASKS=1. Unlike the JavaScript profile (pageProfile.ts) this sees the browser's own
 * work too: style and layout, the compiling of scripts, and the WebRTC calls made from script.
 */
import type { Browser, Page } from 'playwright-core';

type TraceEvent = { name: string; cat: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: Record<string, unknown> };

export type TaskTracer = { stop(): Promise<string> };

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8', 'v8.execute', 'blink', 'webrtc', 'blink.user_timing'];
/** JOIN_LONG_TASK_MS: the shortest task listed (50 ms, the browser's own "long task", by default). */
const LONG_MS = Number(process.env['JOIN_LONG_TASK_MS'] ?? 50);

/** Starts tracing the browser; stop() returns the long tasks of the page's main thread as printable lines. */
export async function startTaskTrace(browser: Browser, page: Page): Promise<TaskTracer> {
  await browser.startTracing(page, { categories: CATEGORIES });
  return {
    async stop() {
      const buffer = await browser.stopTracing();
      const { traceEvents } = JSON.parse(buffer.toString('utf8')) as { traceEvents: TraceEvent[] };
      return summarise(traceEvents);
    },
  };
}

function label(e: TraceEvent): string {
  const data = (e.args?.['data'] ?? {}) as Record<string, unknown>;
  const where = (url: unknown, line?: unknown): string => (typeof url === 'string' && url !== '' ? ` ${url.split('/').pop()}${line !== undefined ? `:${String(line)}` : ''}` : '');
  if (e.name === 'FunctionCall') return `FunctionCall ${String(data['functionName'] ?? '')}${where(data['url'], data['lineNumber'])}`;
  if (e.name === 'EvaluateScript') return `EvaluateScript${where(data['url'])}`;
  if (e.name.startsWith('v8.')) return `${e.name}${where(data['url'] ?? e.args?.['fileName'] ?? e.args?.['url'])}`;
  if (e.name === 'EventDispatch' || e.name === 'TimerFire' || e.name === 'FireAnimationFrame') return `${e.name} ${String(data['type'] ?? data['timerId'] ?? '')}`;
  return e.name;
}

function summarise(events: TraceEvent[]): string {
  const mainThread = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && (e.args?.['name'] as string) === 'CrRendererMain' && events.some((x) => x.pid === e.pid && x.name === 'FunctionCall'));
  if (mainThread === undefined) return '  (no renderer main thread in the trace)';
  const onMain = events.filter((e) => e.pid === mainThread.pid && e.tid === mainThread.tid && e.ph === 'X' && e.dur !== undefined).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const tasks = onMain.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
  const marks = events.filter((e) => e.pid === mainThread.pid && e.cat.includes('blink.user_timing') && (e.ph === 'R' || e.ph === 'I' || e.ph === 'n'));
  const click = marks.find((m) => m.name === 'join:click');
  const origin = click?.ts ?? tasks[0]?.ts ?? 0;
  const lines: string[] = [];
  let busy = 0;
  let lastEnd = 0;
  for (const task of tasks) {
    // Chromium nests one task event in another; count each stretch once.
    if (task.ts < origin || task.ts < lastEnd) continue;
    lastEnd = task.ts + (task.dur ?? 0);
    busy += task.dur ?? 0;
    if ((task.dur ?? 0) < LONG_MS * 1000) continue;
    const end = task.ts + (task.dur ?? 0);
    // The task's parts: every event inside it, charged its self time (its duration less its children's).
    const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end);
    const self = new Map<string, number>();
    const stack: TraceEvent[] = [];
    const selfOf = new Map<TraceEvent, number>();
    for (const e of inside) {
      while (stack.length > 0 && (stack.at(-1)!.ts + (stack.at(-1)!.dur ?? 0)) <= e.ts) stack.pop();
      const parent = stack.at(-1);
      if (parent !== undefined) selfOf.set(parent, (selfOf.get(parent) ?? 0) - (e.dur ?? 0));
      selfOf.set(e, (selfOf.get(e) ?? 0) + (e.dur ?? 0));
      stack.push(e);
    }
    for (const [e, us] of selfOf) {
      const key = label(e);
      self.set(key, (self.get(key) ?? 0) + us);
    }
    const top = [...self.entries()].filter(([, us]) => us >= 1000).sort((a, b) => b[1] - a[1]).slice(0, 4);
    lines.push(`  task at +${((task.ts - origin) / 1000).toFixed(0)} ms: ${((task.dur ?? 0) / 1000).toFixed(0)} ms — ${top.map(([key, us]) => `${key} ${(us / 1000).toFixed(1)}`).join(', ')}`);
  }
  lines.unshift(`  page main thread: ${(busy / 1000).toFixed(0)} ms in tasks since the click; tasks of ${LONG_MS} ms or more:`);
  return lines.join('\n');
}
