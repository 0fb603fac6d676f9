/**
 * The roll call as the chair checks it (who is present, who answered without being heard, who
 * was heard without answering), the halls' headcounts, and the form a venue terminal reports
 * its hall's members with (signaling/room/rollCall.ts).
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { headcountLimit, rollCallAnswer, type RollCallAnswer } from '../../../../signaling/room/rollCall.js';
import type { Participant, RoomState } from '../../../../signaling/room/state.js';
import { canIssue, venueName } from '../../roomSelectors.js';
import { useRoomClient, useRoomState } from '../context.js';

const ANSWERS: readonly RollCallAnswer[] = ['present', 'silent', 'noMic', 'heard', 'none'];

/** How many of those called stand at each answer. */
export function answerCounts(room: RoomState): Record<RollCallAnswer, number> {
  const counts: Record<RollCallAnswer, number> = { present: 0, silent: 0, noMic: 0, heard: 0, none: 0 };
  const rc = room.rollCall;
  if (rc === null) return counts;
  for (const id of new Set([...rc.expected, ...Object.keys(rc.confirmed)])) counts[rollCallAnswer(rc, id)] += 1;
  return counts;
}

/** The chair's view: the roll call's answers by kind, and every hall's reported members. */
export function Attendance({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const state = useRoomState();
  const rc = room.rollCall;
  const halls = Object.values(room.participants).filter((p) => p.role === 'venue' && p.status === 'admitted');
  const me = state.peerId === null ? undefined : room.participants[state.peerId];
  // While a roll call runs a terminal reports on its roll-call banner instead.
  const reporting = me !== undefined && canIssue(state, 'rollCall:headcount') && (rc === null || rc.endedAt !== null);
  const chair = canIssue(state, 'rollCall:start');
  if (!reporting && !(chair && (rc !== null || halls.length > 0))) return null;
  const counts = answerCounts(room);
  return (
    <section className="console-block" aria-labelledby="attendance-heading" data-testid="attendance">
      <h3 id="attendance-heading" className="panel-heading">
        {t(chair ? 'rollCall.summaryTitle' : 'rollCall.halls')}
      </h3>
      {reporting && me && <HeadcountForm room={room} me={me} />}
      {chair && rc !== null && (
        <div role="status" data-testid="rollcall-summary" data-running={rc.endedAt === null ? 'true' : 'false'}>
          <p>
            <strong>{t(rc.endedAt === null ? 'rollCall.summaryRunning' : 'rollCall.summaryDone')}</strong>
          </p>
          <div className="chips">
            {ANSWERS.map((a) => (
              <span
                key={a}
                className={`chip ${counts[a] > 0 ? answerTone(a) : ''}`}
                title={t(`rollCall.answerHint.${a}`)}
                data-testid="rollcall-count"
                data-answer={a}
                data-count={counts[a]}
              >
                {t(`rollCall.answer.${a}`)} {counts[a]}
              </span>
            ))}
          </div>
          {rc.media !== undefined && <p className="muted-text small">{t('rollCall.summaryHint')}</p>}
        </div>
      )}
      {chair && halls.length > 0 && (
        <div data-testid="hall-counts">
          <h4 className="panel-heading">{t('rollCall.halls')}</h4>
          <ul className="hall-counts">
            {halls.map((p) => (
              <li key={p.id} data-testid="hall-count" data-participant-id={p.id} data-count={p.headcount?.count ?? ''}>
                {p.headcount === undefined
                  ? t('rollCall.hallNone', { name: venueName(room, p.venue) })
                  : t('rollCall.hallCount', { name: venueName(room, p.venue), count: p.headcount.count })}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

/** The colour of an answer's chip: present passes, answered-but-unheard warns. */
export function answerTone(a: RollCallAnswer): string {
  if (a === 'present') return 'pass';
  if (a === 'silent' || a === 'noMic') return 'fail';
  return '';
}

/** A venue terminal reports how many members sit in its hall (bounded as the server bounds it). */
export function HeadcountForm({ room, me }: { room: RoomState; me: Participant }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const max = headcountLimit(room, me.venue);
  const [value, setValue] = useState(me.headcount === undefined ? '' : String(me.headcount.count));
  const [invalid, setInvalid] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const count = Number(value);
    if (value.trim() === '' || !Number.isInteger(count) || count < 0 || count > max) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    void client.act('rollCall:headcount', { count });
  };
  return (
    <form className="headcount-form" onSubmit={submit} data-testid="headcount-form">
      <label>
        <span>{t('rollCall.headcount')}</span>
        <input
          type="number"
          inputMode="numeric"
          min={0}
          max={max}
          step={1}
          value={value}
          aria-invalid={invalid}
          aria-describedby="headcount-hint"
          data-testid="headcount-input"
          onChange={(e) => setValue(e.target.value)}
        />
      </label>
      <button type="submit" className="button small primary" data-testid="headcount-report">
        {t('rollCall.headcountReport')}
      </button>
      <p id="headcount-hint" className={invalid ? 'notice small' : 'muted-text small'} role={invalid ? 'alert' : undefined}>
        {invalid ? t('rollCall.headcountInvalid', { max }) : t('rollCall.headcountHint', { max })}
      </p>
      {me.headcount !== undefined && (
        <p className="small" data-testid="headcount-reported">
          {t('rollCall.headcountReported', { count: me.headcount.count })}
        </p>
      )}
    </form>
  );
}
