/**
 * The join benchmark's trace, taken from outside the product: an init script taps the page's
 * WebSocket (every Socket.IO frame, timestamped), its RTCPeerConnections (ICE, DTLS and
 * connection states; which of them sends and which receives) and, while the join is under way,
 * polls getStats() for the first video packet, key frame and decoded frame. `joinSteps` turns
 * what the page recorded into steps in milliseconds after the click on 进入会议, and the chain
 * of dependent request/response round trips that the first remote frame waited for.
 */
import type { ServerMediaTimes } from './serverMediaTrace.js';

/** How often the page polls getStats() (ms): the packet and frame steps are late by up to this. */
export const STATS_EVERY_MS = Number(process.env['JOIN_STATS_MS'] ?? 10);

/**
 * The page side. A string, not a function: a transpiler's helpers would not exist in the page.
 * It subclasses the RTCPeerConnection that test/helpers/browser.ts already wraps (that init
 * script runs first, being the context's), so `window.__peerConnections` keeps working.
 */
export const JOIN_TRACE_SCRIPT = `
  (() => {
    const trace = { frames: [], pcs: [], stats: {}, clickedAt: null, longTasks: [] };
    Object.defineProperty(window, '__joinTrace', { value: trace });
    const now = () => performance.now();
    // The page's own work: while a task runs, nothing else of the page's (a connection's next
    // step, an event, a frame) is handled, and every step seen here after it is seen late.
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) trace.longTasks.push({ t: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });

    const NativeWebSocket = window.WebSocket;
    window.WebSocket = class extends NativeWebSocket {
      constructor(...args) {
        super(...args);
        this.addEventListener('message', (e) => {
          if (typeof e.data === 'string') trace.frames.push({ dir: 'in', t: now(), text: e.data });
        });
      }
      send(data) {
        if (typeof data === 'string') trace.frames.push({ dir: 'out', t: now(), text: data });
        return super.send(data);
      }
    };

    const first = (key) => { if (trace.stats[key] === undefined) trace.stats[key] = now(); };
    // Each receiver and sender is asked on its own (a small report), the receiving ones first:
    // a whole connection's getStats() took 50-100 ms on a loaded machine.
    let polling = false;
    const poll = async () => {
      if (polling) return;
      polling = true;
      const until = now() + 30000;
      trace.polls = [];
      while (now() < until && trace.stats.videoFrameDecoded === undefined) {
        trace.polls.push(now());
        for (const record of trace.pcs) {
          if (record.pc.connectionState === 'closed') continue;
          const parts = [...record.pc.getReceivers(), ...(trace.stats.videoSent === undefined ? record.pc.getSenders() : [])];
          for (const part of parts) {
            if (!part.track) continue;
            let report;
            try {
              report = await part.getStats();
            } catch {
              continue;
            }
            report.forEach((s) => {
              if (s.type === 'inbound-rtp' && s.kind === 'video') {
                if (s.packetsReceived > 0) first('videoPacket');
                if (s.keyFramesDecoded > 0) first('videoKeyFrameDecoded');
                if (s.framesDecoded > 0) first('videoFrameDecoded');
              }
              if (s.type === 'inbound-rtp' && s.kind === 'audio' && s.packetsReceived > 0) first('audioPacket');
              if (s.type === 'outbound-rtp' && s.kind === 'video' && s.packetsSent > 0) first('videoSent');
            });
          }
        }
        await new Promise((resolve) => setTimeout(resolve, ${STATS_EVERY_MS}));
      }
    };

    const NativePeerConnection = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends NativePeerConnection {
      constructor(...args) {
        super(...args);
        const record = { created: now(), role: null, events: [] };
        // Not enumerable: the record goes back to the bench as JSON, the connection does not.
        Object.defineProperty(record, 'pc', { value: this });
        trace.pcs.push(record);
        const log = (what) => record.events.push({ t: now(), what });
        this.addEventListener('iceconnectionstatechange', () => log('ice:' + this.iceConnectionState));
        this.addEventListener('connectionstatechange', () => log('pc:' + this.connectionState));
        this.addEventListener('icecandidate', (e) => { if (e.candidate) log('ice:candidate'); });
        this.addEventListener('track', (e) => {
          log('track:' + e.track.kind);
          e.track.addEventListener('unmute', () => log('unmute:' + e.track.kind), { once: true });
          const dtls = e.receiver.transport;
          if (dtls && !dtls.__traced) {
            Object.defineProperty(dtls, '__traced', { value: true });
            dtls.addEventListener('statechange', () => log('dtls:' + dtls.state));
          }
        });
        if (trace.clickedAt !== null) poll();
      }
      createOffer(...args) {
        this.__role();
        return this.__timed('createOffer', super.createOffer(...args));
      }
      setRemoteDescription(...args) {
        this.__role('recv');
        return this.__timed('setRemoteDescription', super.setRemoteDescription(...args));
      }
      setLocalDescription(...args) {
        return this.__timed('setLocalDescription', super.setLocalDescription(...args));
      }
      __timed(method, promise) {
        const record = trace.pcs.find((r) => r.pc === this);
        if (record) record.events.push({ t: now(), what: 'call:' + method });
        return promise.then((result) => {
          if (record) record.events.push({ t: now(), what: 'done:' + method });
          return result;
        });
      }
      __role(role = 'send') {
        const record = trace.pcs.find((r) => r.pc === this);
        if (record && record.role === null) record.role = role;
      }
    };

    document.addEventListener('click', (e) => {
      const target = e.target;
      if (trace.clickedAt === null && target instanceof Element && target.closest('[data-testid="join-submit"]')) trace.clickedAt = now();
    }, true);
  })();
`;

/** What the page recorded (checked before use: it comes back as JSON). */
export type RawTrace = {
  frames: Array<{ dir: 'in' | 'out'; t: number; text: string }>;
  pcs: Array<{ created: number; role: 'send' | 'recv' | null; events: Array<{ t: number; what: string }> }>;
  stats: Partial<Record<'videoPacket' | 'videoKeyFrameDecoded' | 'videoFrameDecoded' | 'audioPacket' | 'videoSent', number>>;
  clickedAt: number | null;
  /** When each getStats() poll began (its spacing is the packet and frame steps' resolution). */
  polls?: number[];
  /** The page's tasks of 50 ms or more (the Long Tasks API): when each began and how long it ran. */
  longTasks?: Array<{ t: number; ms: number }>;
};

/** Reads the page's `__joinTrace`, or throws if it is not what the script records. */
export function parseRawTrace(value: unknown): RawTrace {
  if (!isRawTrace(value)) throw new Error('the page did not record the join trace');
  return value;
}

function isRawTrace(value: unknown): value is RawTrace {
  if (!isRecord(value)) return false;
  const { frames, pcs, stats, clickedAt, polls, longTasks } = value;
  return (
    (polls === undefined || (Array.isArray(polls) && polls.every((t) => typeof t === 'number'))) &&
    (longTasks === undefined || (Array.isArray(longTasks) && longTasks.every((l: unknown) => isRecord(l) && typeof l['t'] === 'number' && typeof l['ms'] === 'number'))) &&
    Array.isArray(frames) &&
    frames.every((f: unknown) => isRecord(f) && (f['dir'] === 'in' || f['dir'] === 'out') && typeof f['t'] === 'number' && typeof f['text'] === 'string') &&
    Array.isArray(pcs) &&
    pcs.every(
      (p: unknown) =>
        isRecord(p) &&
        typeof p['created'] === 'number' &&
        (p['role'] === null || p['role'] === 'send' || p['role'] === 'recv') &&
        Array.isArray(p['events']) &&
        p['events'].every((e: unknown) => isRecord(e) && typeof e['t'] === 'number' && typeof e['what'] === 'string'),
    ) &&
    isRecord(stats) &&
    Object.values(stats).every((t) => typeof t === 'number') &&
    (clickedAt === null || typeof clickedAt === 'number')
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** One Socket.IO message: a request (with ack id), its ack, or a push from the server. */
type Message =
  | { kind: 'request'; id: string; t: number; event: string; payload: Record<string, unknown> }
  | { kind: 'ack'; id: string; t: number; payload: Record<string, unknown> }
  | { kind: 'push'; t: number; event: string; payload: Record<string, unknown> };

function parseMessages(frames: RawTrace['frames']): Message[] {
  const messages: Message[] = [];
  for (const f of frames) {
    const m = /^4([23])(\d*)(\[[\s\S]*\])$/.exec(f.text);
    if (!m?.[3]) continue;
    let body: unknown;
    try {
      body = JSON.parse(m[3]);
    } catch {
      continue;
    }
    if (!Array.isArray(body)) continue;
    const id = m[2] ?? '';
    if (m[1] === '3' && f.dir === 'in') {
      messages.push({ kind: 'ack', id, t: f.t, payload: isRecord(body[0]) ? body[0] : {} });
    } else if (m[1] === '2' && typeof body[0] === 'string') {
      const payload = isRecord(body[1]) ? body[1] : {};
      if (f.dir === 'out' && id !== '') messages.push({ kind: 'request', id, t: f.t, event: body[0], payload });
      else if (f.dir === 'in') messages.push({ kind: 'push', t: f.t, event: body[0], payload });
    }
  }
  return messages;
}

/** A step of the join, ms after the click (negative: done while the join page was open). */
export type Step = { name: string; at: number };

/** A trace: its steps in time order, and the chain of round trips before the first frame. */
export type JoinTrace = {
  steps: Step[];
  chain: string[];
  upperBound: number;
  requests: number;
  pollEveryMs: number;
  recvRoundsBeforeResume: number;
  /** The page's long tasks between the click and the first frame, ms after the click. */
  longTasks: Array<{ at: number; ms: number }>;
};

/** Steps in the order they are printed; absent ones are left out of a round. */
export const STEP_NAMES = [
  'socket connected',
  'router capabilities fetched',
  'click on join',
  'room:join sent',
  'room:join acked',
  'send + recv RTCPeerConnection created',
  'first consumer (any) received',
  'first consumer (video) received',
  'recv setRemoteDescription done',
  'recv transport:connect sent',
  'recv setLocalDescription called',
  'send first setLocalDescription called',
  'send first setLocalDescription done',
  'video consumer:resume sent',
  'recv setLocalDescription done',
  'recv setLocalDescription done before the resume (the video\'s round)',
  'recv first local ICE candidate',
  'recv ICE checking',
  'recv transport:connect acked',
  'video consumer:resume acked',
  'server: recv ICE connected',
  'recv ICE connected',
  'server: recv DTLS connected',
  'recv DTLS connected',
  'server: video consumer resumed',
  'server: first video key frame sent',
  'recv connection connected',
  'first media:produce sent',
  'first media:produce acked (producer created)',
  'send connection connected',
  'first video sent (outbound-rtp)',
  'first audio packet received',
  'first video packet received',
  'video track unmuted',
  'video consumer:setLayers sent',
  'first key frame decoded',
  'first frame decoded',
  'first frame on the remote <video>',
] as const;

type StepName = (typeof STEP_NAMES)[number];

/**
 * What the server saw of the round's media (serverMediaTrace.ts): `of` a transport or consumer
 * id, in epoch ms; `pageTimeOrigin` turns those into the page's times.
 */
export type ServerView = { of(id: string): ServerMediaTimes; pageTimeOrigin: number };

/**
 * The steps of one round, relative to the click, up to the first remote frame (`until`);
 * `routerCapabilitiesAt` comes from the page's resource timing (when GET /api/rtp-capabilities
 * answered: the Device loads right after); `server`, if given, adds the server's steps.
 */
export function joinSteps(raw: RawTrace, until: number, routerCapabilitiesAt: number | undefined, server?: ServerView): JoinTrace {
  const clickedAt = raw.clickedAt;
  if (clickedAt === null) throw new Error('the click on 进入会议 was not seen');
  const steps = new Map<StepName, number>();
  const at = (name: StepName, t: number | undefined): void => {
    if (t !== undefined && !steps.has(name)) steps.set(name, t - clickedAt);
  };
  at('click on join', clickedAt);
  at('socket connected', raw.frames.find((f) => f.dir === 'in' && f.text.startsWith('40'))?.t);

  const messages = parseMessages(raw.frames);
  const requests = messages.filter((m): m is Extract<Message, { kind: 'request' }> => m.kind === 'request' && m.t >= clickedAt);
  const ackOf = (id: string): Extract<Message, { kind: 'ack' }> | undefined =>
    messages.find((m): m is Extract<Message, { kind: 'ack' }> => m.kind === 'ack' && m.id === id);
  const join = requests.find((r) => r.event === 'room:join');
  const joinAck = join && ackOf(join.id);
  at('room:join sent', join?.t);
  at('room:join acked', joinAck?.t);
  const media = dig(joinAck?.payload, ['data', 'media']);
  const recvTransportId = dig(media, ['recvTransport', 'id']);
  const announced = announcements(messages.filter((m) => m.t >= clickedAt));
  const videoNew = announced.find((a) => a.consumer['kind'] === 'video');
  const videoConsumerId = videoNew?.consumer['id'];
  at('first consumer (video) received', videoNew?.message.t);
  at('first consumer (any) received', announced[0]?.message.t);
  const recvConnect = requests.find((r) => r.event === 'transport:connect' && r.payload['transportId'] === recvTransportId);
  at('recv transport:connect sent', recvConnect?.t);
  at('recv transport:connect acked', recvConnect && ackOf(recvConnect.id)?.t);
  const resume = requests.find((r) => r.event === 'consumer:resume' && r.payload['consumerId'] === videoConsumerId);
  at('video consumer:resume sent', resume?.t);
  at('video consumer:resume acked', resume && ackOf(resume.id)?.t);
  at('video consumer:setLayers sent', requests.find((r) => r.event === 'consumer:setLayers' && r.payload['consumerId'] === videoConsumerId)?.t);
  const produce = requests.find((r) => r.event === 'media:produce');
  at('first media:produce sent', produce?.t);
  at('first media:produce acked (producer created)', produce && ackOf(produce.id)?.t);

  // The Device's own probe connection (made while the join page loads) is not the join's.
  const pcs = raw.pcs.filter((p) => p.created >= clickedAt);
  const created = pcs.map((p) => p.created);
  if (created.length >= 2) at('send + recv RTCPeerConnection created', Math.max(...created));
  const event = (role: 'send' | 'recv', what: string): number | undefined =>
    pcs.find((p) => p.role === role)?.events.find((e) => e.what === what)?.t;
  at('recv setRemoteDescription done', event('recv', 'done:setRemoteDescription'));
  at('recv setLocalDescription called', event('recv', 'call:setLocalDescription'));
  at('recv setLocalDescription done', event('recv', 'done:setLocalDescription'));
  at('send first setLocalDescription called', event('send', 'call:setLocalDescription'));
  at('send first setLocalDescription done', event('send', 'done:setLocalDescription'));
  const recvRounds = (pcs.find((p) => p.role === 'recv')?.events ?? []).filter((e) => e.what === 'done:setLocalDescription' && resume !== undefined && e.t <= resume.t);
  at("recv setLocalDescription done before the resume (the video's round)", recvRounds.at(-1)?.t);
  at('recv first local ICE candidate', event('recv', 'ice:candidate'));
  at('recv ICE checking', event('recv', 'ice:checking'));
  at('recv ICE connected', event('recv', 'ice:connected'));
  at('recv DTLS connected', event('recv', 'dtls:connected'));
  at('recv connection connected', event('recv', 'pc:connected'));
  at('send connection connected', event('send', 'pc:connected'));
  at('video track unmuted', event('recv', 'unmute:video'));
  at('first video sent (outbound-rtp)', raw.stats.videoSent);
  at('first audio packet received', raw.stats.audioPacket);
  at('first video packet received', raw.stats.videoPacket);
  at('first key frame decoded', raw.stats.videoKeyFrameDecoded);
  at('first frame decoded', raw.stats.videoFrameDecoded);
  at('first frame on the remote <video>', until);

  at('router capabilities fetched', routerCapabilitiesAt);
  if (server !== undefined) {
    const pageTime = (epoch: number | undefined): number | undefined => (epoch === undefined ? undefined : epoch - server.pageTimeOrigin);
    const transport = typeof recvTransportId === 'string' ? server.of(recvTransportId) : {};
    const consumer = typeof videoConsumerId === 'string' ? server.of(videoConsumerId) : {};
    at('server: recv ICE connected', pageTime(transport.iceConnected));
    at('server: recv DTLS connected', pageTime(transport.dtlsConnected));
    at('server: video consumer resumed', pageTime(consumer.resumed));
    at('server: first video key frame sent', pageTime(consumer.firstKeyFrame));
  }
  const ordered = STEP_NAMES.filter((name) => steps.has(name)).map((name) => ({ name: name as string, at: steps.get(name) ?? NaN }));
  ordered.sort((a, b) => a.at - b.at);

  const sentBeforeFrame = requests.filter((r) => r.t <= until);
  return {
    steps: ordered,
    chain: chainTo(messages, resume, recvConnect),
    upperBound: upperBound(messages, sentBeforeFrame),
    requests: sentBeforeFrame.length,
    pollEveryMs: pollSpacing(raw.polls ?? []),
    recvRoundsBeforeResume: recvRounds.length,
    longTasks: (raw.longTasks ?? []).filter((l) => l.t + l.ms >= clickedAt && l.t <= until).map((l) => ({ at: l.t - clickedAt, ms: l.ms })),
  };
}

/** The median gap between getStats() polls, ms. */
function pollSpacing(polls: number[]): number {
  const gaps = polls.slice(1).map((t, i) => t - (polls[i] ?? t));
  return gaps.length ? median(gaps) : NaN;
}

function dig(value: unknown, keys: string[]): unknown {
  let v = value;
  for (const key of keys) v = isRecord(v) ? v[key] : undefined;
  return v;
}

/**
 * Where the client learnt of each consumer, in order: a `consumer:new` push, or the consumers
 * a join's answer carries (`room:join` or `media:join`, under `media.consumers`).
 */
function announcements(messages: Message[]): Array<{ message: Message; consumer: Record<string, unknown> }> {
  const out: Array<{ message: Message; consumer: Record<string, unknown> }> = [];
  for (const m of messages) {
    if (m.kind === 'push' && m.event === 'consumer:new') out.push({ message: m, consumer: m.payload });
    if (m.kind !== 'ack') continue;
    const data = dig(m.payload, ['data']);
    const consumers = dig(data, ['media', 'consumers']) ?? dig(data, ['consumers']);
    if (Array.isArray(consumers)) for (const c of consumers) if (isRecord(c)) out.push({ message: m, consumer: c });
  }
  return out;
}

/**
 * The dependent round trips the first frame waited for, as "event → event". The frame needs its
 * consumer resumed and the receiving transport connected; each of those requests was made
 * when something arrived: for a request about a consumer, the message that announced it (its
 * consumer:new, or the join's answer); for the receiving transport's connect, the first such
 * message (its first consumer sets it up); for any other, the latest ack before it. An
 * announcement is that ack, or a push (consumer:new) that in turn follows the latest ack before
 * it (the server sends it after answering). The longer of the two chains is returned.
 */
function chainTo(
  messages: Message[],
  resume: Extract<Message, { kind: 'request' }> | undefined,
  recvConnect: Extract<Message, { kind: 'request' }> | undefined,
): string[] {
  const acks = messages.filter((m): m is Extract<Message, { kind: 'ack' }> => m.kind === 'ack');
  const requestOf = (id: string): Extract<Message, { kind: 'request' }> | undefined =>
    messages.find((m): m is Extract<Message, { kind: 'request' }> => m.kind === 'request' && m.id === id);
  const latestAckBefore = (t: number): Extract<Message, { kind: 'ack' }> | undefined => acks.filter((a) => a.t <= t).at(-1);
  const consumers = announcements(messages);
  let best: string[] = [];
  for (const end of [resume, recvConnect]) {
    const chain: string[] = [];
    let request = end;
    while (request !== undefined) {
      chain.unshift(request.event);
      const consumerId = request.payload['consumerId'];
      // The receiving transport connects when its first consumer is set up.
      const announced = (request === recvConnect ? consumers[0] : consumers.find((c) => c.consumer['id'] === consumerId))?.message;
      const trigger = latestAckBefore((announced ?? request).t);
      request = trigger && requestOf(trigger.id);
    }
    if (chain.length > best.length) best = chain;
  }
  return best;
}

/** The bench's earlier measure: the longest chain of requests each sent after the previous one's ack. */
function upperBound(messages: Message[], requests: Array<Extract<Message, { kind: 'request' }>>): number {
  const acked = new Map<string, number>();
  for (const m of messages) if (m.kind === 'ack') acked.set(m.id, m.t);
  const depth = new Map<string, number>();
  for (const r of requests) {
    let d = 1;
    for (const earlier of requests) {
      const ackAt = acked.get(earlier.id);
      if (earlier !== r && ackAt !== undefined && ackAt <= r.t) d = Math.max(d, (depth.get(earlier.id) ?? 1) + 1);
    }
    depth.set(r.id, d);
  }
  return Math.max(0, ...depth.values());
}

/** A table of steps: one column per round and the median (ms after the click). */
export function stepTable(traces: JoinTrace[]): string {
  const rows = STEP_NAMES
    .map((name) => {
      const values = traces.map((t) => t.steps.find((s) => s.name === name)?.at);
      const present = values.filter((v): v is number => v !== undefined);
      return { name, values, median: present.length ? median(present) : undefined };
    })
    .filter((r) => r.median !== undefined)
    .sort((a, b) => (a.median ?? 0) - (b.median ?? 0));
  const cell = (v: number | undefined): string => (v === undefined ? '—' : v.toFixed(0)).padStart(7);
  const width = Math.max(...rows.map((r) => r.name.length)) + 2;
  const head = `${'step (ms after the click)'.padEnd(width)}${traces.map((_, i) => `r${i + 1}`.padStart(7)).join('')}${'median'.padStart(8)}`;
  return [head, ...rows.map((r) => `${r.name.padEnd(width)}${r.values.map(cell).join('')} ${cell(r.median)}`)].join('\n');
}

/** One round's trace, one line per step, with the gap since the step before. */
export function formatSteps(trace: JoinTrace): string {
  let previous: number | null = null;
  const lines = trace.steps.map((s) => {
    const gap = previous === null ? '' : `+${(s.at - previous).toFixed(0)}`;
    previous = s.at;
    return `  ${s.at.toFixed(0).padStart(6)} ms ${gap.padStart(6)}  ${s.name}`;
  });
  lines.push(`  round trips to the first frame: ${trace.chain.length} (${trace.chain.join(' → ')}); upper bound ${trace.upperBound} over ${trace.requests} requests`);
  lines.push(`  getStats() polled every ${trace.pollEveryMs.toFixed(0)} ms (median); ${trace.recvRoundsBeforeResume} offer/answer rounds on the receiving connection before the resume`);
  const busy = trace.longTasks.map((l) => `${l.at.toFixed(0)} ms for ${l.ms.toFixed(0)} ms`).join(', ');
  lines.push(`  the page's long tasks (≥ 50 ms) from the click to the first frame: ${busy === '' ? 'none' : busy}`);
  return lines.join('\n');
}

/** The median of a non-empty sample. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}
