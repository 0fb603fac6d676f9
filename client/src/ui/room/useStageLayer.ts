/**
 * The stage asks for the simulcast layer that fits it, as a gallery tile does for itself but
 * by the stage's own rule (media/layers.ts chooseStageLayer); the client asks the server for
 * the larger of the two when the floor holder is in both. When the stage stops showing the
 * video (the floor moved on), its ask is dropped and the tile's decides again.
 */
import { useEffect, type RefObject } from 'react';
import { chooseStageLayer } from '../../media/layers.js';
import { useRoomClient } from '../context.js';

/** Asks for the layer that fits the stage element, now and whenever it is resized. */
export function useStageLayer(ref: RefObject<HTMLElement | null>, consumerId: string | null): void {
  const client = useRoomClient();
  useEffect(() => {
    const element = ref.current;
    if (element === null || consumerId === null) return;
    const observer = new ResizeObserver((entries) => {
      const entry = entries[entries.length - 1];
      if (entry !== undefined) client.setPreferredLayer(consumerId, chooseStageLayer(entry.contentRect.height, window.devicePixelRatio), 'stage');
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      client.dropLayerView(consumerId, 'stage');
    };
  }, [client, ref, consumerId]);
}
