/**
 * The SDP file ffmpeg reads the program from: one RTP stream per m-line, each on a loopback
 * port of its own (ffmpeg listens there, RTCP on the port above). Pure, so it is testable
 * without ffmpeg.
 */

/** One RTP stream ffmpeg receives. */
export type SdpStream = {
  kind: 'audio' | 'video';
  /** The local UDP port ffmpeg listens on for RTP (even; RTCP goes to port + 1). */
  port: number;
  payloadType: number;
  /** The codec as SDP names it: VP8, opus. */
  codec: string;
  clockRate: number;
  /** Audio only. */
  channels?: number;
};

/** The SDP of these streams, received on `address`. */
export function programSdp(streams: readonly SdpStream[], address = '127.0.0.1'): string {
  if (streams.length === 0) throw new TypeError('an SDP needs at least one stream');
  const lines = ['v=0', `o=- 0 0 IN IP4 ${address}`, 's=program', `c=IN IP4 ${address}`, 't=0 0'];
  for (const s of streams) {
    if (s.port % 2 !== 0 || s.port < 1024 || s.port > 65534) throw new TypeError(`RTP port ${s.port} must be even, 1024–65534`);
    lines.push(`m=${s.kind} ${s.port} RTP/AVP ${s.payloadType}`);
    const channels = s.kind === 'audio' && s.channels !== undefined ? `/${s.channels}` : '';
    lines.push(`a=rtpmap:${s.payloadType} ${s.codec}/${s.clockRate}${channels}`);
    lines.push('a=recvonly');
  }
  return lines.join('\r\n') + '\r\n';
}
