/** The host's form for a new poll (saved as a draft, opened separately). */
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from '../../i18n/useTranslation.js';
import { basisWording, hasAbstention } from '../../../../signaling/room/polls.js';
import { MAJORITY_BASES, POLL_KINDS, THRESHOLDS, type MajorityBasis, type PollKind, type Threshold } from '../../../../signaling/room/state.js';
import { useRoomClient } from '../context.js';

const MAX_OPTIONS = 20;

/** Question, kind, options, secrecy, pass rule (and what it counts against) and an optional auto-close. */
export function PollCreateForm({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const client = useRoomClient();
  const id = useId();
  const [question, setQuestion] = useState('');
  const [kind, setKind] = useState<PollKind>('yesno');
  const [options, setOptions] = useState<string[]>(['', '']);
  const [minChoices, setMinChoices] = useState(1);
  const [maxChoices, setMaxChoices] = useState(2);
  const [secret, setSecret] = useState(false);
  const [allowChange, setAllowChange] = useState(true);
  const [threshold, setThreshold] = useState<Threshold>('none');
  const [chosenBasis, setBasis] = useState<MajorityBasis>('cast');
  const [quorum, setQuorum] = useState('');
  const [duration, setDuration] = useState('');
  const [sending, setSending] = useState(false);

  const hasOptions = kind === 'single' || kind === 'multiple';
  const filled = options.map((o) => o.trim()).filter((o) => o !== '');
  // Only yes/no polls have abstentions to count; a choice kept from a yes/no draft falls back.
  const bases = MAJORITY_BASES.filter((b) => b !== 'castWithAbstentions' || hasAbstention(kind));
  const basis = bases.includes(chosenBasis) ? chosenBasis : 'cast';
  const hasRule = threshold !== 'none' && kind !== 'multiple';

  const submit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (sending) return;
    setSending(true);
    const fields = {
      question: question.trim(),
      kind,
      options: hasOptions ? filled : [],
      ...(kind === 'multiple' ? { minChoices, maxChoices: Math.min(maxChoices, filled.length) } : {}),
      secret,
      // A secret ballot cannot be changed (the server could not tell whose it is).
      allowChange: secret ? false : allowChange,
      threshold,
      basis,
      quorumPercent: quorum === '' ? null : Number(quorum),
      durationSeconds: duration === '' ? null : Number(duration),
    };
    void client.act('poll:create', fields).then((ok) => {
      setSending(false);
      if (ok) onClose();
    });
  };

  const setOption = (index: number, value: string): void => setOptions((os) => os.map((o, i) => (i === index ? value : o)));

  return (
    <form className="poll-form" onSubmit={submit} aria-labelledby={`${id}-title`} data-testid="poll-form">
      <h3 id={`${id}-title`} className="panel-heading">
        {t('polls.form')}
      </h3>
      <label htmlFor={`${id}-q`}>{t('polls.question')}</label>
      {/* The form opens in place of the button that opened it: the focus goes to the question. */}
      <textarea id={`${id}-q`} data-testid="poll-question" autoFocus required maxLength={500} rows={2} value={question} onChange={(e) => setQuestion(e.target.value)} />
      <label htmlFor={`${id}-kind`}>{t('polls.kind')}</label>
      <select id={`${id}-kind`} data-testid="poll-kind" value={kind} onChange={(e) => setKind(POLL_KINDS.find((k) => k === e.target.value) ?? 'yesno')}>
        {POLL_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`polls.kinds.${k}`)}
          </option>
        ))}
      </select>
      {hasOptions && (
        <fieldset className="options-fieldset">
          <legend>{t('polls.options')}</legend>
          {options.map((value, index) => (
            <div className="option-row" key={index}>
              <input
                data-testid="poll-option-input"
                aria-label={t('polls.option', { index: index + 1 })}
                placeholder={t('polls.option', { index: index + 1 })}
                maxLength={200}
                value={value}
                onChange={(e) => setOption(index, e.target.value)}
              />
              <button
                type="button"
                className="button small icon-only"
                aria-label={t('polls.removeOption', { index: index + 1 })}
                title={t('polls.removeOption', { index: index + 1 })}
                disabled={options.length <= 2}
                onClick={() => setOptions((os) => os.filter((_, i) => i !== index))}
              >
                ×
              </button>
            </div>
          ))}
          <button type="button" className="button small" disabled={options.length >= MAX_OPTIONS} onClick={() => setOptions((os) => [...os, ''])}>
            {t('polls.addOption')}
          </button>
        </fieldset>
      )}
      {kind === 'multiple' && (
        <div className="two-fields">
          <span>
            <label htmlFor={`${id}-min`}>{t('polls.minChoices')}</label>
            <input id={`${id}-min`} type="number" min={1} max={MAX_OPTIONS} value={minChoices} onChange={(e) => setMinChoices(Number(e.target.value))} />
          </span>
          <span>
            <label htmlFor={`${id}-max`}>{t('polls.maxChoices')}</label>
            <input id={`${id}-max`} type="number" min={1} max={MAX_OPTIONS} value={maxChoices} onChange={(e) => setMaxChoices(Number(e.target.value))} />
          </span>
        </div>
      )}
      <label className="check">
        <input type="checkbox" data-testid="poll-secret" checked={secret} onChange={(e) => setSecret(e.target.checked)} />
        {t('polls.secret')}
      </label>
      {secret && <p className="field-hint">{t('polls.secretHint')}</p>}
      <label className="check">
        <input type="checkbox" data-testid="poll-allow-change" checked={secret ? false : allowChange} disabled={secret} onChange={(e) => setAllowChange(e.target.checked)} />
        {t('polls.allowChange')}
      </label>
      <label htmlFor={`${id}-th`}>{t('polls.threshold')}</label>
      <select id={`${id}-th`} data-testid="poll-threshold" value={threshold} onChange={(e) => setThreshold(THRESHOLDS.find((x) => x === e.target.value) ?? 'none')}>
        {THRESHOLDS.map((x) => (
          <option key={x} value={x}>
            {t(`polls.thresholds.${x}`)}
          </option>
        ))}
      </select>
      {hasRule && (
        <>
          <label htmlFor={`${id}-basis`}>{t('polls.basis')}</label>
          <select
            id={`${id}-basis`}
            data-testid="poll-basis"
            aria-describedby={`${id}-basis-hint`}
            value={basis}
            onChange={(e) => setBasis(bases.find((b) => b === e.target.value) ?? 'cast')}
          >
            {bases.map((b) => (
              <option key={b} value={b}>
                {t(`polls.basisOptions.${basisWording(kind, b)}`)}
              </option>
            ))}
          </select>
          <p className="field-hint" id={`${id}-basis-hint`} data-testid="poll-basis-hint">
            {t(`polls.basisHints.${basisWording(kind, basis)}`)}
          </p>
        </>
      )}
      <div className="two-fields">
        <span>
          <label htmlFor={`${id}-quorum`}>{t('polls.quorum')}</label>
          <input id={`${id}-quorum`} type="number" min={1} max={100} value={quorum} onChange={(e) => setQuorum(e.target.value)} />
        </span>
        <span>
          <label htmlFor={`${id}-dur`}>{t('polls.duration')}</label>
          <input id={`${id}-dur`} data-testid="poll-duration" type="number" min={10} max={86400} value={duration} onChange={(e) => setDuration(e.target.value)} />
        </span>
      </div>
      <div className="row-actions">
        <button type="submit" className="button primary" data-testid="poll-submit-create" disabled={sending || question.trim() === ''} aria-busy={sending}>
          {t('polls.submitCreate')}
        </button>
        <button type="button" className="button" onClick={onClose}>
          {t('polls.cancel')}
        </button>
      </div>
    </form>
  );
}
