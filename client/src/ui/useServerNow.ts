/** The server's clock, re-read on an interval so countdowns redraw. */
import { useEffect, useState } from 'react';
import { serverNow } from '../room/countdown.js';
import { useRoomState } from './context.js';

/** Server time (epoch ms) now, updated every `intervalMs` while `active`. */
export function useServerNow(active: boolean, intervalMs = 250): number {
  const { clockOffsetMs } = useRoomState();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    setNow(Date.now());
    const timer = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(timer);
  }, [active, intervalMs]);
  return serverNow(now, clockOffsetMs);
}
