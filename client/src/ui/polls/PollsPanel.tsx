/**
 * The "表决" tab: every poll in creation order. The host drafts, opens, closes and publishes;
 * voters get a ballot while a poll is open; everybody sees published results.
 */
import { memo, useEffect, useRef, useState } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { pollsInOrder } from '../../../../signaling/room/selectors.js';
import type { ClientCommandPayload } from '../../../../signaling/room/commands.js';
import type { Poll, RoomState } from '../../../../signaling/room/state.js';
import { secondsUntil } from '../../room/countdown.js';
import { turnout } from '../../room/pollResults.js';
import { canIssue } from '../../roomSelectors.js';
import { useRoomClient, useRoomSelector } from '../context.js';
import { useServerNow } from '../useServerNow.js';
import { PollBallot } from './PollBallot.js';
import { PollCreateForm } from './PollCreateForm.js';
import { passRule } from './passRule.js';
import { PollResults } from './PollResults.js';

/** All polls, newest first; renders again when the room changes (see useRoomSelector). */
export const PollsPanel = memo(function PollsPanel({ room }: { room: RoomState }) {
  const { t } = useTranslation();
  const creates = useRoomSelector((s) => canIssue(s, 'poll:create'));
  const [creating, setCreating] = useState(false);
  const createButton = useRef<HTMLButtonElement>(null);
  const wasCreating = useRef(false);
  // The form closed (saved or cancelled): give the focus back to the button that opened it.
  useEffect(() => {
    if (wasCreating.current && !creating) createButton.current?.focus();
    wasCreating.current = creating;
  }, [creating]);
  const polls = pollsInOrder(room).reverse();
  return (
    <div className="panel-section">
      {creates &&
        (creating ? (
          <PollCreateForm onClose={() => setCreating(false)} />
        ) : (
          <button ref={createButton} type="button" className="button primary" data-testid="poll-create" onClick={() => setCreating(true)}>
            {t('polls.create')}
          </button>
        ))}
      {polls.length === 0 ? (
        <p className="field-hint">{t('polls.empty')}</p>
      ) : (
        polls.map((poll) => <PollCard key={poll.id} poll={poll} room={room} />)
      )}
    </div>
  );
});

function PollCard({ poll, room }: { poll: Poll; room: RoomState }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const me = useRoomSelector((s) => s.peerId);
  const host = useRoomSelector((s) => canIssue(s, 'poll:open'));
  const voter = useRoomSelector((s) => canIssue(s, 'poll:vote'));
  const { voted, eligible } = turnout(poll);
  const rule = passRule(t, poll);
  return (
    <article className={`poll-card status-${poll.status}`} data-testid="poll" data-poll-id={poll.id} data-status={poll.status} aria-label={poll.question}>
      <header className="poll-head">
        <h4 className="poll-question">{poll.question}</h4>
        <div className="chips">
          <span className="chip">{t(`polls.status.${poll.status}`)}</span>
          <span className="chip">{t(`polls.kinds.${poll.kind}`)}</span>
          {poll.secret && <span className="chip">{t('polls.secretBadge')}</span>}
          {poll.roundOf !== undefined && (
            <span className="chip" data-testid="poll-second-round">
              {t('breakdown.secondRound')}
            </span>
          )}
          {/* Voters should know the rule before they vote, not only with the verdict. */}
          {rule !== null && (
            <span className="chip" data-testid="poll-rule-chip">
              {rule}
            </span>
          )}
        </div>
      </header>
      {/* Live turnout is for the chair; a voter sees only their own "vote recorded". */}
      {poll.status === 'open' &&
        (host ? (
          <p className="turnout" data-testid="poll-turnout" data-voted={voted} data-eligible={eligible} aria-live="polite">
            {t('polls.turnout', { voted, eligible })}
            <ClosesIn closesAt={poll.closesAt} separator />
          </p>
        ) : (
          poll.closesAt !== null && (
            <p className="field-hint">
              <ClosesIn closesAt={poll.closesAt} separator={false} />
            </p>
          )
        ))}
      {poll.status === 'open' && voter && me !== null && (poll.eligible.includes(me) ? <PollBallot poll={poll} me={me} /> : <p className="field-hint">{t('polls.notEligible')}</p>)}
      {poll.result !== null ? (
        <PollResults poll={poll} result={poll.result} />
      ) : (
        poll.status === 'closed' && <p className="field-hint">{t('polls.awaitingResult')}</p>
      )}
      {host && poll.status === 'closed' && (
        <p className="notice small" data-testid="poll-publish-hint">
          {t('polls.publishHint')}
        </p>
      )}
      {/* The secretary sees a closed poll's result for the minutes; it is not public yet. */}
      {!host && poll.status === 'closed' && poll.result !== null && (
        <p className="notice small" data-testid="poll-unpublished-hint">
          {t('polls.unpublishedHint')}
        </p>
      )}
      {host && (
        <div className="row-actions">
          {poll.status === 'draft' && (
            <button type="button" className="button primary small" data-testid="poll-open" onClick={() => client.act('poll:open', { pollId: poll.id })}>
              {t('polls.open')}
            </button>
          )}
          {poll.status === 'open' && (
            <button type="button" className="button small" data-testid="poll-close" onClick={() => client.act('poll:close', { pollId: poll.id })}>
              {t('polls.close')}
            </button>
          )}
          {poll.status === 'closed' && (
            <button type="button" className="button primary small" data-testid="poll-publish" onClick={() => client.act('poll:publish', { pollId: poll.id })}>
              {t('polls.publish')}
            </button>
          )}
          {mayAskAgain(room, poll) && (
            <button type="button" className="button small" data-testid="poll-again" title={t('breakdown.againHint')} onClick={() => client.act('poll:create', secondRound(poll))}>
              {t('breakdown.again')}
            </button>
          )}
        </div>
      )}
    </article>
  );
}

/** A first round, closed, not asked again yet: the server's rule (polls.ts checkRound), for the button. */
function mayAskAgain(room: RoomState | null, poll: Poll): boolean {
  if (poll.roundOf !== undefined || (poll.status !== 'closed' && poll.status !== 'published')) return false;
  return !Object.values(room?.polls ?? {}).some((p) => p.roundOf === poll.id);
}

/** The draft of a second round: the same question, kind, options and rules as the first. */
function secondRound(poll: Poll): Omit<ClientCommandPayload<'poll:create'>, 'commandId'> {
  return {
    question: poll.question,
    kind: poll.kind,
    options: poll.kind === 'single' || poll.kind === 'multiple' ? poll.options : [],
    ...(poll.kind === 'multiple' ? { minChoices: poll.minChoices, maxChoices: poll.maxChoices } : {}),
    secret: poll.secret,
    allowChange: poll.allowChange,
    quorumPercent: poll.quorumPercent,
    threshold: poll.threshold,
    basis: poll.basis,
    durationSeconds: poll.durationMs === null ? null : Math.round(poll.durationMs / 1000),
    roundOf: poll.id,
  };
}

function ClosesIn({ closesAt, separator }: { closesAt: number | null; separator: boolean }) {
  const { t } = useTranslation();
  const now = useServerNow(closesAt !== null, 1000);
  const seconds = secondsUntil(closesAt, now);
  if (seconds === null) return null;
  return (
    <span className="field-hint">
      {separator && ' · '}
      {t('polls.closesIn', { seconds })}
    </span>
  );
}
