/** The program media of one viewer (server/media/AudienceMedia.ts), as the audience handlers open it. */
import type { ViewerMedia } from '../../media/AudienceMedia.js';

export type { ViewerMedia };

/** Opens a viewer's program media (MediaRooms.audience.openViewer). */
export type OpenViewer = (roomId: string, viewerId: string) => Promise<ViewerMedia>;
