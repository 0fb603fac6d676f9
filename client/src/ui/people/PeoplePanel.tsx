/** The "参会" tab: the host console (lobby, room controls, quorum, venue connection quality) and the participant list. */
import { memo } from 'react';
import type { RoomState } from '../../../../signaling/room/state.js';
import { canIssue } from '../../roomSelectors.js';
import { useRoomSelector } from '../context.js';
import { SpeechSecondsSelect } from '../panels/SpeechSecondsSelect.js';
import { Attendance } from './Attendance.js';
import { LobbyList } from './LobbyList.js';
import { ParticipantList } from './ParticipantList.js';
import { QuorumGauges } from './QuorumGauges.js';
import { RoomControls } from './RoomControls.js';
import { VenueQuality } from './VenueQuality.js';

/**
 * Everybody sees who is here; the host's controls appear only to roles allowed them. Renders
 * again when the room changes (see useRoomSelector); the parts that show media (the venues'
 * connection quality, who speaks) follow the store themselves.
 */
export const PeoplePanel = memo(function PeoplePanel({ room }: { room: RoomState }) {
  const admits = useRoomSelector((s) => canIssue(s, 'lobby:admit'));
  const ends = useRoomSelector((s) => canIssue(s, 'room:end'));
  const grants = useRoomSelector((s) => canIssue(s, 'floor:grant'));
  return (
    <div className="panel-section">
      {admits && <LobbyList room={room} />}
      {ends && <RoomControls room={room} />}
      <QuorumGauges room={room} />
      <Attendance room={room} />
      {ends && <VenueQuality room={room} />}
      {grants && <SpeechSecondsSelect room={room} />}
      <ParticipantList room={room} />
    </div>
  );
});
