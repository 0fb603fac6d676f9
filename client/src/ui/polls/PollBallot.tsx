/**
 * The ballot of an open poll for an eligible voter: one choice (radio) or several (checkbox),
 * a reason with a dissenting consensus vote, and after voting the notice that it counted.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import type { Poll } from '../../../../signaling/room/state.js';
import { useRoomClient } from '../context.js';
import { optionLabel } from './optionLabel.js';

/** Consensus options whose voters may give a reason (需进一步协商, 不赞同); see polls.ts. */
const DISSENT = new Set([2, 3]);

/** The ballot, or the "vote recorded" notice. */
export function PollBallot({ poll, me }: { poll: Poll; me: string }) {
  const { t } = useTranslation();
  const [changing, setChanging] = useState(false);
  // Casting swaps the ballot for the notice that it counted: the focus goes to the notice
  // (read out, and Tab goes on from there) rather than falling to the page's top.
  const focusVoted = useRef(false);
  const votedRef = (element: HTMLElement | null): void => {
    if (element === null || !focusVoted.current) return;
    focusVoted.current = false;
    element.focus();
  };
  const voted = poll.voted.includes(me);
  if (voted && !changing) {
    const mine = poll.choices[me];
    return (
      <div className="poll-voted" role="status" data-testid="poll-voted" tabIndex={-1} ref={votedRef}>
        <strong>{t('polls.voted')}</strong>
        {mine !== undefined && (
          <span className="field-hint">{t('polls.yourChoice', { choices: mine.map((i) => optionLabel(t, poll, i)).join('、') })}</span>
        )}
        {poll.allowChange && !poll.secret && (
          <button type="button" className="button small" data-testid="poll-change" onClick={() => setChanging(true)}>
            {t('polls.change')}
          </button>
        )}
      </div>
    );
  }
  return (
    <BallotForm
      poll={poll}
      initial={poll.choices[me] ?? []}
      onSending={(sending) => {
        focusVoted.current = sending;
      }}
      onDone={() => setChanging(false)}
      changing={changing}
    />
  );
}

type FormProps = { poll: Poll; initial: number[]; changing: boolean; onSending: (sending: boolean) => void; onDone: () => void };

function BallotForm({ poll, initial, changing, onSending, onDone }: FormProps) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const [chosen, setChosen] = useState<number[]>(initial);
  const [reason, setReason] = useState('');
  const [sending, setSending] = useState(false);
  const name = useId();
  const reasonId = useId();
  const multiple = poll.kind === 'multiple';
  const fieldset = useRef<HTMLFieldSetElement>(null);
  // 修改 swaps the notice for the ballot: the focus goes to my choice (or the first option).
  useEffect(() => {
    if (!changing) return;
    const inputs = fieldset.current?.querySelectorAll<HTMLInputElement>('input') ?? [];
    ([...inputs].find((input) => input.checked) ?? inputs[0])?.focus();
  }, [changing]);
  const countOk = chosen.length >= poll.minChoices && chosen.length <= poll.maxChoices;
  const dissent = poll.kind === 'consensus' && chosen.some((i) => DISSENT.has(i));

  const toggle = (index: number): void => {
    if (!multiple) {
      setChosen([index]);
      return;
    }
    setChosen((current) => (current.includes(index) ? current.filter((i) => i !== index) : [...current, index].sort((a, b) => a - b)));
  };

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (!countOk || sending) return;
    setSending(true);
    onSending(true);
    const trimmed = reason.trim();
    void client
      .act('poll:vote', { pollId: poll.id, choices: chosen, ...(dissent && trimmed !== '' ? { reason: trimmed } : {}) })
      .then((ok) => {
        setSending(false);
        if (ok) onDone();
        else onSending(false);
      });
  };

  return (
    <form className="ballot" onSubmit={submit} data-testid="poll-ballot">
      <fieldset ref={fieldset}>
        <legend className="visually-hidden">{poll.question}</legend>
        {multiple && (
          <p className="field-hint" id={`${name}-range`}>
            {t('polls.chooseRange', { min: poll.minChoices, max: poll.maxChoices })}
          </p>
        )}
        {poll.options.map((_, index) => (
          <label key={index} className={chosen.includes(index) ? 'ballot-option chosen' : 'ballot-option'}>
            <input
              type={multiple ? 'checkbox' : 'radio'}
              name={name}
              data-testid="poll-option"
              data-index={index}
              checked={chosen.includes(index)}
              onChange={() => toggle(index)}
            />
            <span>{optionLabel(t, poll, index)}</span>
          </label>
        ))}
      </fieldset>
      {dissent && (
        <>
          <label htmlFor={reasonId}>{t('polls.reason')}</label>
          <textarea id={reasonId} data-testid="poll-reason" value={reason} maxLength={500} rows={2} onChange={(e) => setReason(e.target.value)} />
        </>
      )}
      <div className="row-actions">
        <button type="submit" className="button primary" data-testid="poll-vote-submit" disabled={!countOk || sending} aria-busy={sending}>
          {t('polls.voteSubmit')}
        </button>
        {changing && (
          <button type="button" className="button" onClick={onDone}>
            {t('polls.cancelChange')}
          </button>
        )}
      </div>
    </form>
  );
}
