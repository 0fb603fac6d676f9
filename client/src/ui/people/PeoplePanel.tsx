/** The "参会" tab: the host console (lobby, room controls, quorum, venue connection quality) and the participant list. */
import type { RoomState } from '../../../../signaling/room/state.js';
import { canIssue } from '../../roomSelectors.js';
import { useRoomState } from '../context.js';
import { SpeechSecondsSelect } from '../panels/SpeechSecondsSelect.js';
import { Attendance } from './Attendance.js';
import { LobbyList } from './LobbyList.js';
import { ParticipantList } from './ParticipantList.js';
import { QuorumGauges } from './QuorumGauges.js';
import { RoomControls } from './RoomControls.js';
import { VenueQuality } from './VenueQuality.js';

/** Everybody sees who is here; the host's controls appear only to roles allowed them. */
export function PeoplePanel({ room }: { room: RoomState }) {
  const state = useRoomState();
  return (
    <div className="panel-section">
      {canIssue(state, 'lobby:admit') && <LobbyList room={room} />}
      {canIssue(state, 'room:end') && <RoomControls room={room} />}
      <QuorumGauges room={room} />
      <Attendance room={room} />
      {canIssue(state, 'room:end') && <VenueQuality room={room} />}
      {canIssue(state, 'floor:grant') && <SpeechSecondsSelect room={room} />}
      <ParticipantList room={room} />
    </div>
  );
}
