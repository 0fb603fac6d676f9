/** The comment routes over HTTP, as a browser or the staff call them (bench/comments.ts, bench/public-comments.ts, bench/staff-queue.ts). */
import { request } from 'node:http';
import { z } from 'zod';

/** Where and as whom: the server, the room, and the bearer token (an invite, or the admin secret). */
export type Api = { url: string; roomId: string; token: string };

/** One request; throws on any status of 300 or more. Answers the JSON and the browser cookie set, if any. */
export async function http(api: Api, method: string, path: string, body?: unknown, cookie?: string): Promise<{ status: number; json: unknown; cookie: string | undefined }> {
  const res = await fetch(`${api.url}/api${path}`, {
    method,
    headers: {
      authorization: `Bearer ${api.token}`,
      ...(cookie === undefined ? {} : { cookie }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json: unknown = await res.json();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return { status: res.status, json, cookie: res.headers.get('set-cookie')?.split(';')[0] };
}

/**
 * Opens a room's comments from a minute ago for a day, as the organiser does (the admin secret),
 * with `extra` settings (background, themes, held words) if given.
 */
export async function openComments(server: { url: string; adminSecret: string }, roomId: string, extra: { background?: string; themes?: string[]; heldWords?: string[] } = {}): Promise<void> {
  const now = Date.now();
  const settings = { opensAt: now - 60_000, closesAt: now + 24 * 3_600_000, background: '', themes: [], heldWords: [], ...extra };
  await http({ url: server.url, roomId, token: server.adminSecret }, 'PUT', `/admin/rooms/${roomId}/comments`, settings);
}

/** The text of the i-th seeded comment: one sentence, numbered. */
const sameSentence = (i: number): string => `第 ${i + 1} 条：建议加装电梯时统筹考虑低层住户的采光与通行，资金按楼层分摊。`;

/**
 * `count` comments submitted as one browser of the public (`publicApi`, the per-browser limit
 * raised), 20 at a time, each approved at once by the staff (`staffApi`) unless it is null;
 * answers their ids in the order made. `text` gives the i-th comment's text.
 */
export async function seedComments(publicApi: Api, staffApi: Api | null, count: number, text: (i: number) => string = sameSentence): Promise<string[]> {
  const { cookie } = await http(publicApi, 'GET', `/comments/${publicApi.roomId}`);
  if (cookie === undefined) throw new Error('no browser cookie');
  const ids: string[] = [];
  for (let start = 0; start < count; start += 20) {
    const batch = Array.from({ length: Math.min(20, count - start) }, (_, i) => start + i);
    ids.push(
      ...(await Promise.all(
        batch.map(async (i) => {
          const { json } = await http(publicApi, 'POST', `/comments/${publicApi.roomId}`, { name: `居民${i + 1}`, place: '一区', text: text(i) }, cookie);
          const id = z.object({ comment: z.object({ id: z.string() }) }).parse(json).comment.id;
          if (staffApi !== null) await http(staffApi, 'POST', `/comments/${staffApi.roomId}/${id}/moderate`, { action: 'approve' });
          return id;
        }),
      )),
    );
  }
  return ids;
}

/** Common characters of the comments a consultation receives, for texts that differ as theirs do. */
const COMMON = '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞';

/** A text of 20 to 120 characters drawn from COMMON, the same for the same `i` in every run (as incompressible as real comments, roughly). */
export function variedText(i: number): string {
  let seed = (i + 1) * 2_654_435_761;
  const next = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const length = 20 + Math.floor(next() * 100);
  let text = '';
  for (let k = 0; k < length; k++) text += COMMON[Math.floor(next() * COMMON.length)] ?? '的';
  return text;
}

/** What a browser sends: Brotli comes back for a large answer. */
export const CHROMIUM_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

/** One answer as it came: bytes on the wire, milliseconds to its last byte, its Content-Encoding. */
export type TimedAnswer = { bytes: number; ms: number; encoding: string };

/**
 * A raw GET with a bearer token (fetch would undo the compression and hide its size), as a
 * browser with `cookie` if given; throws unless 200.
 */
export function timedGet(url: string, token: string, acceptEncoding: string | null, cookie?: string): Promise<TimedAnswer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {
      authorization: `Bearer ${token}`,
      ...(acceptEncoding === null ? {} : { 'accept-encoding': acceptEncoding }),
      ...(cookie === undefined ? {} : { cookie }),
    };
    const req = request(url, { headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${url}: HTTP ${res.statusCode}`));
        else resolve({ bytes, ms: performance.now() - started, encoding: String(res.headers['content-encoding'] ?? 'none') });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
