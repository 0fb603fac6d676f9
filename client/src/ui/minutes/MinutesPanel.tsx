/**
 * The "纪要" tab. The host and the secretary get the editor: the record read out of the log
 * (MeetingOverview, each speech, each poll), a passage to write under every speech, the
 * written statements, the conclusions and action items, the recording's parts (录像), and the
 * lock. Everybody else who may speak gets their own part: a written statement to submit and
 * their passages to confirm.
 */
import { memo, useMemo } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { minutesRecord, minutesSkeleton } from '../../../../signaling/record/skeleton.js';
import { sectionOf, speechIndex } from '../../../../signaling/room/minutes.js';
import { keepsMinutes } from '../../../../signaling/room/roles.js';
import type { Role, RoomState } from '../../../../signaling/room/state.js';
import { myRole } from '../../roomSelectors.js';
import { useRoomSelector } from '../context.js';
import { ActionItems } from './ActionItems.js';
import { MinutesDraftsProvider } from './drafts.js';
import { LockBar } from './LockBar.js';
import { MyPassages, myPassages } from './MyPassages.js';
import { SectionEditor } from './SectionEditor.js';
import { CommentRecords } from './CommentRecords.js';
import { RecordingListingProvider } from '../recording/listing.js';
import { RecordingSection } from '../recording/RecordingSection.js';
import { MeetingOverview, PollRecords } from './SkeletonView.js';
import { SpeechSection } from './SpeechSection.js';
import { StatementForm, WrittenStatements } from './WrittenStatements.js';

/** The minutes tab for whoever looks; renders again when the room changes (see useRoomSelector). */
export const MinutesPanel = memo(function MinutesPanel({ room }: { room: RoomState }) {
  const role = useRoomSelector(myRole);
  const me = useRoomSelector((s) => s.peerId);
  if (role !== null && keepsMinutes(role)) {
    return (
      <MinutesDraftsProvider room={room}>
        <MinutesEditor room={room} />
      </MinutesDraftsProvider>
    );
  }
  if (me === null) return null;
  return (
    <div className="panel-section minutes" data-testid="minutes-panel" data-view="speaker">
      {/* Only those who spoke have passages; for everybody else the form is the whole tab. */}
      {myPassages(room, me).length > 0 && <MyPassages room={room} me={me} />}
      <StatementForm room={room} me={me} />
    </div>
  );
});

function MinutesEditor({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  // NOTE: the skeleton is drawn from the whole state; it changes only with the log.
  const minutes = useMemo(() => minutesSkeleton(room), [room]);
  const conclusions = sectionOf(room.minutes, 'conclusions');
  const locked = room.minutes.locked;
  // A locked version shows what its lock read: the comment store's summary, the recording's files.
  const shown = useMemo(() => (locked ? (minutesRecord(room) ?? minutes) : minutes), [locked, room, minutes]);
  return (
    <RecordingListingProvider room={room}>
      <div className="panel-section minutes" data-testid="minutes-panel" data-view="keeper">
        <LockBar room={room} />
        <MeetingOverview minutes={minutes} />
        <section className="minutes-block" aria-labelledby="minutes-speeches-heading" data-testid="minutes-speeches">
          <h3 id="minutes-speeches-heading" className="panel-heading">
            {t('minutes.speeches')}
          </h3>
          {minutes.speeches.length === 0 ? (
            <p className="field-hint">{t('minutes.noSpeeches')}</p>
          ) : (
            minutes.speeches.map((speech, index) => <SpeechSection key={index} room={room} speech={speech} index={index} recordingAt={shown.speeches[index]?.recordingAt} />)
          )}
        </section>
        <WrittenStatements room={room} statements={room.minutes.statements} />
        <PollRecords polls={minutes.polls} />
        {shown.recording && <RecordingSection room={room} recording={shown.recording} />}
        <CommentRecords section={shown.comments} />
        <section className="minutes-block" aria-labelledby="minutes-conclusions-heading" data-testid="minutes-conclusions">
          <h3 id="minutes-conclusions-heading" className="panel-heading">
            {t('minutes.conclusions')}
          </h3>
          <SectionEditor
            section="conclusions"
            label={t('minutes.conclusions')}
            room={{ text: conclusions.text, version: conclusions.version }}
            readOnlyReason={locked ? t('minutes.editor.locked') : null}
            placeholder={t('minutes.editor.conclusionsPlaceholder')}
          />
        </section>
        <ActionItems actions={room.minutes.actions} locked={locked} />
      </div>
    </RecordingListingProvider>
  );
}

/**
 * How many things in the minutes wait for me: for the secretary, corrections proposed by
 * speakers; for a speaker, passages sent to them for confirmation. The tab shows the number.
 */
export function minutesWaiting(room: RoomState, role: Role | null, me: string | null): number {
  if (role !== null && keepsMinutes(role)) {
    return Object.entries(room.minutes.sections).filter(([key, s]) => speechIndex(key) !== null && s.confirmation.status === 'correctionProposed').length;
  }
  if (me === null) return 0;
  return myPassages(room, me).filter(({ section }) => sectionOf(room.minutes, section).confirmation.status === 'pending').length;
}
