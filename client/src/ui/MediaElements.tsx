/** <video> and <audio> bound to MediaStreamTracks that live in RoomClient, never in the state. */
import { useEffect, useRef, type VideoHTMLAttributes } from 'react';
import { useRoomClient, useRoomState } from './context.js';

type VideoProps = {
  track: MediaStreamTrack | null;
  /** My own camera is shown mirrored, as people expect from a mirror. */
  mirrored?: boolean;
  className?: string;
} & Pick<VideoHTMLAttributes<HTMLVideoElement>, 'aria-label'> & { [data: `data-${string}`]: string | undefined };

/**
 * A muted, inline, autoplaying video of one track. Always muted: remote sound plays through
 * <AudioSink>, so hiding or resizing a video never affects what people hear.
 */
export function TrackVideo({ track, mirrored = false, className, ...rest }: VideoProps) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    const video = ref.current;
    if (video === null) return;
    video.srcObject = track === null ? null : new MediaStream([track]);
    if (track !== null) {
      video.play().catch((error: unknown) => {
        // A muted video may always autoplay; a rejection here means the element was replaced.
        if (!(error instanceof DOMException && error.name === 'AbortError')) console.warn('video play failed', error);
      });
    }
    return () => {
      video.srcObject = null;
    };
  }, [track]);
  const classes = [className, mirrored ? 'mirrored' : undefined].filter(Boolean).join(' ');
  return <video ref={ref} className={classes} autoPlay playsInline muted {...rest} />;
}

/** Plays one remote audio consumer; reports the browser's autoplay refusal to the state. */
export function AudioSink({ consumerId, peerId }: { consumerId: string; peerId: string }) {
  const client = useRoomClient();
  const { audioBlocked } = useRoomState();
  const ref = useRef<HTMLAudioElement>(null);
  const track = client.getRemoteTrack(consumerId);
  useEffect(() => {
    const audio = ref.current;
    if (audio === null || track === null) return;
    if (audio.srcObject === null) audio.srcObject = new MediaStream([track]);
    if (audioBlocked) return;
    audio.play().catch((error: unknown) => {
      if (error instanceof DOMException && error.name === 'NotAllowedError') client.reportAudioBlocked();
      else if (!(error instanceof DOMException && error.name === 'AbortError')) console.warn('audio play failed', error);
    });
  }, [client, track, audioBlocked]);
  useEffect(() => {
    const audio = ref.current;
    return () => {
      if (audio !== null) audio.srcObject = null;
    };
  }, []);
  return <audio ref={ref} autoPlay data-testid="remote-audio" data-peer-id={peerId} data-consumer-id={consumerId} />;
}
