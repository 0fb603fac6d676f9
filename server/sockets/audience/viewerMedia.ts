/** The program media of one viewer (server/media/AudienceMedia.ts), as the audience handlers open it. */
import type { RouterRtpCapabilities } from '../../../signaling/protocol.js';
import type { ViewerMedia } from '../../media/AudienceMedia.js';

export type { ViewerMedia };

/** Opens a viewer's program media (MediaRooms.audience.openViewer). */
export type OpenViewer = (roomId: string, viewerId: string) => Promise<ViewerMedia>;

/** The program for viewers: what a device loads (the same for every router), and how a viewer's media is opened. */
export type Program = { rtpCapabilities: RouterRtpCapabilities; open: OpenViewer };
