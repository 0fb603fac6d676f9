/**
 * Whose camera a phone viewer sees: participants publish cameras painted each in its own
 * brightness (node WebRTC peers), and the page records the brightness of every frame it decodes.
 */
import type { Page } from 'playwright-core';
import type { RunningServer } from '../../server/app.js';
import { createRoom, invite } from './rooms.js';
import { TestPeer } from './TestPeer.js';

/** The brightness (luma, 0–255) of each camera: far enough apart that a decoded frame tells them apart. */
export const LUMA = { chair: 128, memberA: 40, memberB: 215 } as const;

/** A phone's viewport. */
export const PHONE = { width: 390, height: 844 };

/** How near a frame's brightness must be to a camera's to be that camera's. */
const LUMA_TOLERANCE = 25;

/** Whether a measured brightness is camera `target`'s. */
export const nearLuma =
  (target: number) =>
  (luma: number): boolean =>
    Math.abs(luma - target) < LUMA_TOLERANCE;

/** One decoded frame: when (Date.now(), the same clock as the test's), its mean brightness and its size. */
export type Frame = { at: number; luma: number; width: number; height: number };

/** A participant on camera, with its participant id. */
export type CameraPeer = TestPeer & { id: string };

/** Joins with `token` and publishes a camera of brightness `luma`. */
export async function cameraParticipant(server: RunningServer, token: string, name: string, luma: number): Promise<CameraPeer> {
  const peer = await TestPeer.connect(server.url);
  const joined = await peer.join(token, name);
  await peer.produce({ luma });
  return Object.assign(peer, { id: joined.participantId });
}

/** A room whose program the public watches, with three cameras on it. */
export type MeetingOnCamera = {
  roomId: string;
  /** 主持人, camera `LUMA.chair`: the program shows the chair while nobody holds the floor. */
  chair: CameraPeer;
  /** 王委员 (city), camera `LUMA.memberA`. */
  memberA: CameraPeer;
  /** 赵委员 (d1), camera `LUMA.memberB`. */
  memberB: CameraPeer;
  /** The room's public invite. */
  publicLink: string;
  /** Closes the three participants. */
  close(): void;
};

/** An open room (only the floor holder speaks) with the chair and two members on camera, and its public link. */
export async function meetingOnCamera(server: RunningServer): Promise<MeetingOnCamera> {
  const { roomId, hostInvite } = await createRoom(server, { open: true, floorOnly: true });
  const peers: CameraPeer[] = [];
  const close = (): void => {
    for (const peer of peers) peer.close();
  };
  try {
    peers.push(await cameraParticipant(server, hostInvite, '主持人', LUMA.chair));
    peers.push(await cameraParticipant(server, await invite(server, roomId, 'member', 'city'), '王委员', LUMA.memberA));
    peers.push(await cameraParticipant(server, await invite(server, roomId, 'member', 'd1'), '赵委员', LUMA.memberB));
    const [chair, memberA, memberB] = peers as [CameraPeer, CameraPeer, CameraPeer];
    return { roomId, chair, memberA, memberB, publicLink: await invite(server, roomId, 'public', 'city'), close };
  } catch (error) {
    close();
    throw error;
  }
}

/**
 * Starts recording, in the page, each frame the video `videoTestId` decodes. `region` `middle`
 * measures only the middle half of the picture (a 4:3 camera in a 16:9 stream has black bars at
 * the sides); `whole` the whole of it.
 */
export async function recordFrames(page: Page, videoTestId: string, region: 'whole' | 'middle'): Promise<void> {
  // A string, not a function: the test runner's transpiler would add helpers the page lacks.
  await page.evaluate(`
    (() => {
      const video = document.querySelector(${JSON.stringify(`[data-testid="${videoTestId}"]`)});
      if (!video || window.__frames) return;
      const middle = ${JSON.stringify(region === 'middle')};
      const frames = [];
      window.__frames = frames;
      const canvas = document.createElement('canvas');
      canvas.width = 32;
      canvas.height = 18;
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      const onFrame = (_now, meta) => {
        if (middle) ctx.drawImage(video, meta.width / 4, meta.height / 4, meta.width / 2, meta.height / 2, 0, 0, 32, 18);
        else ctx.drawImage(video, 0, 0, 32, 18);
        const data = ctx.getImageData(0, 0, 32, 18).data;
        let sum = 0;
        for (let i = 0; i < data.length; i += 4) sum += 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
        frames.push({ at: Date.now(), luma: sum / (data.length / 4), width: meta.width, height: meta.height });
        video.requestVideoFrameCallback(onFrame);
      };
      video.requestVideoFrameCallback(onFrame);
    })();
  `);
}

/**
 * The first recorded frame at or after `since` whose brightness is near `luma` (needs
 * `recordFrames` first). Fails after `timeoutMs` saying what was decoded instead.
 */
export async function firstFrameNear(page: Page, luma: number, since: number, timeoutMs: number): Promise<Frame> {
  try {
    const handle = await page.waitForFunction(
      ([target, from, tolerance]) =>
        (window as unknown as { __frames?: Frame[] }).__frames?.find((f) => f.at >= from && Math.abs(f.luma - target) < tolerance) ?? null,
      [luma, since, LUMA_TOLERANCE] as const,
      { timeout: timeoutMs, polling: 100 },
    );
    return (await handle.jsonValue()) as Frame;
  } catch (error) {
    // Say what was decoded instead: no frames at all, or someone else's.
    const seen = await page.evaluate(() => (window as unknown as { __frames?: Frame[] }).__frames ?? []);
    const last = seen.slice(-5).map((f) => `${f.width}x${f.height} luma ${f.luma.toFixed(0)}`);
    const span = seen.length > 1 ? `${(((seen.at(-1)?.at ?? 0) - (seen[0]?.at ?? 0)) / 1000).toFixed(1)} s` : '-';
    throw new Error(`no frame near luma ${luma}: ${seen.length} decoded over ${span}, the last: ${last.join(', ')}`, { cause: error });
  }
}
