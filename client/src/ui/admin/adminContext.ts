/**
 * What the admin page hands its forms (the API, a way to report failures) and the room being
 * worked on: in a module of its own so the page and its forms do not import each other.
 */
import type { AdminApi, IssuedInvite } from '../../net/adminApi.js';
import type { RoomSummary } from '../../net/inviteApi.js';

/** What the admin forms need: the API and a way to report failures. */
export type AdminContext = {
  api: AdminApi;
  /** Runs a request; its failure is shown on the page. Resolves undefined on failure. */
  run<T>(request: (api: AdminApi) => Promise<T>): Promise<T | undefined>;
  busy: boolean;
};

/** The consultation being worked on: its facts, its meeting number and every invite issued. */
export type OpenedRoom = { summary: RoomSummary; meetingNumber: string; invites: IssuedInvite[]; justCreated: boolean };

/** Loads a consultation and everything issued for it. */
export async function loadRoom(api: AdminApi, roomId: string): Promise<Omit<OpenedRoom, 'justCreated'>> {
  const [summary, issued] = await Promise.all([api.room(roomId), api.invites(roomId)]);
  return { summary, meetingNumber: issued.meetingNumber, invites: issued.invites };
}
