/** The join page's network line: good, slow or no server, in words and a symbol, not colour alone. */
import { useTranslation } from '../i18n/useTranslation.js';
import { useRoomClient, useRoomState } from './context.js';

const SYMBOL = { checking: '…', good: '✓', slow: '!', down: '✕' } as const;

/** One status line, with a way to check again when the result was bad. */
export function NetworkStatus() {
  const { t } = useTranslation();
  const client = useRoomClient();
  const { network } = useRoomState();
  let text: string;
  switch (network.state) {
    case 'checking':
      text = t('join.network.checking');
      break;
    case 'good':
      text = t('join.network.good', { ms: network.latencyMs });
      break;
    case 'slow':
      text = network.failed > 0 ? t('join.network.slowLost', { lost: network.failed }) : t('join.network.slow', { ms: network.latencyMs });
      break;
    case 'down':
      text = t('join.network.down');
      break;
  }
  return (
    <div className={`network-check ${network.state}`} data-testid="network-check" data-state={network.state}>
      <p role="status" aria-live="polite">
        <span className="network-symbol" aria-hidden="true">
          {SYMBOL[network.state]}
        </span>
        <span className="visually-hidden">{t('join.network.label')}: </span>
        {text}
      </p>
      {(network.state === 'slow' || network.state === 'down') && (
        <button type="button" className="button ghost small" data-testid="network-recheck" onClick={() => client.checkNetwork()}>
          {t('join.network.recheck')}
        </button>
      )}
    </div>
  );
}
