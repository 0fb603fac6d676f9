/**
 * Participants grouped by venue, with online state, role, sector and roll-call answer. The
 * host may mute, allow unmuting, give the floor (to a person or a whole venue) and remove.
 */
import { useState } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { attendance, venueAttendance } from '../../../../signaling/room/attendance.js';
import { isSpeaker } from '../../../../signaling/room/roles.js';
import { rollCallAnswer } from '../../../../signaling/room/rollCall.js';
import type { Participant, RoomState } from '../../../../signaling/room/state.js';
import { canIssue, floorHeldBy, participantsByVenue, queuePlace, speechSeconds } from '../../roomSelectors.js';
import { ConfirmButton } from '../ConfirmButton.js';
import { ConfirmDialog } from '../Dialog.js';
import { HandIcon } from '../icons.js';
import { answerTone } from './Attendance.js';
import { MuteButton } from './MuteButton.js';
import { grantAsk, queuedGrant } from '../panels/grantAsk.js';
import { useRoomClient, useRoomState } from '../context.js';

/** The list, with the floor given for the host's chosen speaking time (speechSeconds). */
export function ParticipantList({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const state = useRoomState();
  const host = canIssue(state, 'floor:grant');
  const seconds = speechSeconds(state, room);
  // The venue's speech quota asks too (grantAsk.ts); the override goes only with a confirmed grant.
  const venueAsk = (venue: string, name: string) => {
    const { overrideQuota, ...ask } = grantAsk(t, room, { holder: { kind: 'venue', venue }, type: 'statement' }, t('queue.confirmGrant', { name }));
    return { ask, overrideQuota };
  };
  return (
    <div className="venue-groups">
      {participantsByVenue(room).map((group) => {
        // The one rule of who is expected and counted (attendance.ts), as the gauges and the roll call read it.
        const { present, expected } = groupAttendance(room, group.venue);
        const label = t('people.venue', { name: group.name, present, expected });
        return (
          <section key={group.venue} className="venue-group" aria-label={label} data-testid="venue-group" data-venue={group.venue}>
            <div className="venue-head">
              <h4 className="panel-heading">{label}</h4>
              {host && group.venue !== '' && !floorHeldBy(room, { kind: 'venue', venue: group.venue }) && (
                <ConfirmButton
                  className="button small"
                  data-testid="venue-grant"
                  {...venueAsk(group.venue, group.name).ask}
                  onConfirm={() =>
                    client.act('floor:grant', {
                      target: { kind: 'venue', venue: group.venue },
                      seconds,
                      ...(venueAsk(group.venue, group.name).overrideQuota ? { overrideQuota: true } : {}),
                    })
                  }
                >
                  {t('people.giveVenueFloor', { name: group.name })}
                </ConfirmButton>
              )}
            </div>
            <ul className="people-list">
              {group.people.map((p) => (
                <ParticipantRow key={p.id} room={room} p={p} host={host} seconds={seconds} />
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

function ParticipantRow({ room, p, host, seconds }: { room: RoomState; p: Participant; host: boolean; seconds: number }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const { peerId } = useRoomState();
  const isMe = p.id === peerId;
  const rollCall = room.rollCall;
  const called = rollCall !== null && rollCall.expected.includes(p.id);
  // Present only when they answered AND the server heard their microphone (rollCall.ts).
  const answer = called ? rollCallAnswer(rollCall, p.id) : null;
  const [removing, setRemoving] = useState(false);
  const { overrideQuota, ...ask } = grantAsk(t, room, queuedGrant(room, p.id), t('queue.confirmGrant', { name: p.name }));
  return (
    <li className="person" data-testid="participant-entry" data-participant-id={p.id} data-online={p.online ? 'true' : 'false'} data-role={p.role}>
      <div className="person-who">
        <span className={p.online ? 'dot online' : 'dot'} role="img" aria-label={p.online ? t('people.online') : t('people.offline')} />
        <span className="person-name">
          {p.name}
          {isMe && ` ${t('people.me')}`}
        </span>
        <span className="chip">{t(`roles.${p.role}`)}</span>
        {p.sector !== '' && <span className="muted-text">{p.sector}</span>}
        {p.forceMuted && <span className="chip fail">{t('people.mutedByHost')}</span>}
        <HandChip room={room} participantId={p.id} />
        {answer !== null && (
          <span
            className={`chip ${answerTone(answer)}`}
            title={t(`rollCall.answerHint.${answer}`)}
            data-testid="rollcall-state"
            data-answer={answer}
            data-present={answer === 'present' ? 'true' : 'false'}
          >
            {t(`rollCall.answer.${answer}`)}
          </span>
        )}
        {p.role === 'venue' && p.headcount !== undefined && (
          <span className="chip" data-testid="headcount-chip" data-count={p.headcount.count}>
            {t('rollCall.hallChip', { count: p.headcount.count })}
          </span>
        )}
      </div>
      {host && !isMe && (
        <div className="row-actions">
          {isSpeaker(p.role) && !floorHeldBy(room, { kind: 'participant', participantId: p.id }) && (
            <ConfirmButton
              className="button small"
              data-testid="participant-grant"
              aria-label={t('people.giveFloor', { name: p.name })}
              {...ask}
              onConfirm={() =>
                client.act('floor:grant', { target: { kind: 'participant', participantId: p.id }, seconds, ...(overrideQuota ? { overrideQuota: true } : {}) })
              }
            >
              {t('people.short.giveFloor')}
            </ConfirmButton>
          )}
          {p.role !== 'host' && p.role !== 'public' && p.forceMuted && (
            <button
              type="button"
              className="button small"
              data-testid="participant-allow-unmute"
              aria-label={t('people.allowUnmute', { name: p.name })}
              onClick={() => client.act('media:allowUnmute', { participantId: p.id })}
            >
              {t('people.short.allowUnmute')}
            </button>
          )}
          {p.role !== 'host' && p.role !== 'public' && !p.forceMuted && (
            <MuteButton
              data-testid="participant-force-mute"
              label={t('people.short.forceMute')}
              ariaLabel={t('people.forceMute', { name: p.name })}
              silencesSpeech={room.floor?.holder.kind === 'participant' && room.floor.holder.participantId === p.id && room.floor.pausedAt === null}
              onMute={(floor) => client.act('media:forceMute', floor === undefined ? { participantId: p.id } : { participantId: p.id, floor })}
            />
          )}
          <button
            type="button"
            className="button small danger"
            data-testid="participant-remove"
            aria-label={t('people.remove', { name: p.name })}
            onClick={() => setRemoving(true)}
          >
            {t('people.short.remove')}
          </button>
          {removing && (
            <ConfirmDialog
              data-testid="participant-remove-dialog"
              question={t('people.removeConfirm', { name: p.name })}
              confirmLabel={t('people.short.remove')}
              danger
              onCancel={() => setRemoving(false)}
              onConfirm={() => {
                setRemoving(false);
                void client.act('participant:remove', { participantId: p.id });
              }}
            />
          )}
        </div>
      )}
    </li>
  );
}

/** ✋ and the place in the list of speakers, for someone whose hand is up. */
function HandChip({ room, participantId }: { room: RoomState; participantId: string }) {
  const { t } = useTranslation();
  const place = queuePlace(room, participantId);
  if (place === null) return null;
  return (
    <span className="chip hand" data-testid="hand-chip" data-place={place}>
      <HandIcon />
      {t('room.handRaised', { place })}
    </span>
  );
}

/** The counts of a group: its venue's, or (group '') those of every venue the room does not name. */
function groupAttendance(room: RoomState, venue: string): { present: number; expected: number } {
  if (venue !== '') return venueAttendance(room, venue);
  const named = new Set(['*', ...room.info.venues.map((v) => v.id)]);
  const strays = attendance(room).filter((c) => !named.has(c.venue));
  return { present: strays.reduce((a, c) => a + c.present, 0), expected: strays.reduce((a, c) => a + c.expected, 0) };
}
