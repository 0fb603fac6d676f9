/**
 * The join benchmark's view from the server's side of the media: when each WebRTC transport's
 * ICE and DTLS connected, and when each consumer was resumed and sent its first key frame. Taken from mediasoup's observer in the benchmark's own process (the server
 * runs there), so the product has no hook for it.
 *
 * Why: the page reports its connection's steps through events on its main thread, late by
 * whatever task runs there; the server sees them on the wire. Times are epoch milliseconds
 * (performance.timeOrigin + now), the clock the page's own times are turned into.
 */
import * as mediasoup from 'mediasoup';
import type { types as ms } from 'mediasoup';

/** What happened to one transport or consumer, epoch ms. */
export type ServerMediaTimes = {
  iceConnected?: number;
  dtlsConnected?: number;
  resumed?: number;
  firstKeyFrame?: number;
};

const now = (): number => performance.timeOrigin + performance.now();

/** Starts recording every transport and consumer made from now on; `of(id)` reads one. */
export function traceServerMedia(): { of(id: string): ServerMediaTimes } {
  const times = new Map<string, ServerMediaTimes>();
  const record = (id: string): ServerMediaTimes => {
    let entry = times.get(id);
    if (entry === undefined) times.set(id, (entry = {}));
    return entry;
  };
  const onConsumer = (consumer: ms.Consumer): void => {
    const entry = record(consumer.id);
    consumer.observer.on('resume', () => {
      entry.resumed ??= now();
    });
    // NOTE: the 'rtp' trace would give the first packet too, but its events came after the key
    // frame's in every round, so they are not the packets' order on the wire.
    consumer.on('trace', (trace) => {
      if (trace.direction !== 'out' || trace.type !== 'keyframe') return;
      entry.firstKeyFrame ??= now();
      void consumer.enableTraceEvent([]).catch(() => undefined);
    });
    void consumer.enableTraceEvent(['keyframe']).catch(() => undefined);
  };
  const onTransport = (transport: ms.Transport): void => {
    transport.observer.on('newconsumer', onConsumer);
    if (transport.type !== 'webrtc') return;
    const webrtc = transport as ms.WebRtcTransport;
    const entry = record(webrtc.id);
    webrtc.on('icestatechange', (state) => {
      if (state === 'connected' || state === 'completed') entry.iceConnected ??= now();
    });
    webrtc.on('dtlsstatechange', (state) => {
      if (state === 'connected') entry.dtlsConnected ??= now();
    });
  };
  mediasoup.observer.on('newworker', (worker) => {
    worker.observer.on('newrouter', (router) => router.observer.on('newtransport', onTransport));
  });
  return { of: (id) => times.get(id) ?? {} };
}
