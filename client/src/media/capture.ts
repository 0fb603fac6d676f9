/** Opening cameras, microphones and screens. Every rejection keeps its DOMException name. */
import { ClientError } from '../errors.js';
import type { DeviceOption } from '../store.js';
import { CAMERA_CONSTRAINTS, MIC_CONSTRAINTS } from './encodings.js';

/** A track, or why there is none. */
export type Capture = { track: MediaStreamTrack } | { error: unknown };

function mediaDevices(): MediaDevices {
  // navigator.mediaDevices is undefined outside a secure context (plain http on a LAN address).
  if (typeof navigator === 'undefined' || navigator.mediaDevices === undefined) {
    throw new ClientError('UNSUPPORTED_BROWSER', 'navigator.mediaDevices is unavailable');
  }
  return navigator.mediaDevices;
}

function micConstraints(deviceId: string | null): MediaTrackConstraints {
  return deviceId === null ? MIC_CONSTRAINTS : { ...MIC_CONSTRAINTS, deviceId: { exact: deviceId } };
}

function cameraConstraints(deviceId: string | null): MediaTrackConstraints {
  return deviceId === null ? CAMERA_CONSTRAINTS : { ...CAMERA_CONSTRAINTS, deviceId: { exact: deviceId } };
}

function only(stream: MediaStream, kind: 'audio' | 'video'): MediaStreamTrack {
  const track = kind === 'audio' ? stream.getAudioTracks()[0] : stream.getVideoTracks()[0];
  if (track === undefined) throw new DOMException(`no ${kind} track`, 'NotFoundError');
  return track;
}

/** One microphone track. */
export async function openMic(deviceId: string | null): Promise<MediaStreamTrack> {
  return only(await mediaDevices().getUserMedia({ audio: micConstraints(deviceId) }), 'audio');
}

/** One camera track. */
export async function openCamera(deviceId: string | null): Promise<MediaStreamTrack> {
  const track = only(await mediaDevices().getUserMedia({ video: cameraConstraints(deviceId) }), 'video');
  track.contentHint = 'motion';
  return track;
}

/**
 * Microphone and camera together, so the browser asks for permission once; if that fails,
 * each alone, so a missing camera does not cost the microphone and the UI can say which failed.
 */
export async function openMicAndCamera(
  micId: string | null,
  cameraId: string | null,
): Promise<{ mic: Capture; camera: Capture }> {
  try {
    const stream = await mediaDevices().getUserMedia({ audio: micConstraints(micId), video: cameraConstraints(cameraId) });
    const camera = only(stream, 'video');
    camera.contentHint = 'motion';
    return { mic: { track: only(stream, 'audio') }, camera: { track: camera } };
  } catch (combinedError) {
    if (combinedError instanceof ClientError) return { mic: { error: combinedError }, camera: { error: combinedError } };
    const [mic, camera] = await Promise.all([capture(openMic(micId)), capture(openCamera(cameraId))]);
    return { mic, camera };
  }
}

async function capture(opening: Promise<MediaStreamTrack>): Promise<Capture> {
  try {
    return { track: await opening };
  } catch (error) {
    return { error };
  }
}

/** The screen, window or tab the user picks. */
export async function openScreen(): Promise<MediaStreamTrack> {
  const devices = mediaDevices();
  if (typeof devices.getDisplayMedia !== 'function') {
    throw new ClientError('UNSUPPORTED_BROWSER', 'getDisplayMedia is unavailable');
  }
  const stream = await devices.getDisplayMedia({ video: { frameRate: { ideal: 15, max: 30 } }, audio: false });
  const track = only(stream, 'video');
  track.contentHint = 'detail';
  return track;
}

/** Whether this browser can share a screen at all (phones cannot). */
export function canShareScreen(): boolean {
  return (
    typeof navigator !== 'undefined' &&
    navigator.mediaDevices !== undefined &&
    typeof navigator.mediaDevices.getDisplayMedia === 'function'
  );
}

/** Cameras and microphones; labels are empty until the user granted a permission. */
export async function listDevices(): Promise<{ audioinput: DeviceOption[]; videoinput: DeviceOption[] }> {
  const all = await mediaDevices().enumerateDevices();
  const pick = (kind: MediaDeviceKind): DeviceOption[] =>
    all
      .filter((d) => d.kind === kind && d.deviceId !== '')
      .map((d) => ({ deviceId: d.deviceId, label: d.label }));
  return { audioinput: pick('audioinput'), videoinput: pick('videoinput') };
}

/** Calls `onChange` whenever a device is plugged in or out; returns the unsubscribe. */
export function watchDevices(onChange: () => void): () => void {
  if (typeof navigator === 'undefined' || navigator.mediaDevices === undefined) return () => undefined;
  const devices = navigator.mediaDevices;
  devices.addEventListener('devicechange', onChange);
  return () => devices.removeEventListener('devicechange', onChange);
}
