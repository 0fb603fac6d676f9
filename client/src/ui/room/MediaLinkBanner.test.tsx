// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { setLanguage } from '../../i18n/index.js';
import { MediaLinkBanner } from './MediaLinkBanner.js';

afterEach(cleanup);

describe('MediaLinkBanner', () => {
  test('says nothing while media gets through', async () => {
    await setLanguage('zh-CN');
    render(<MediaLinkBanner problem={null} />);
    expect(screen.queryByTestId('media-link')).toBeNull();
  });

  test('says in zh-CN which of the relay’s troubles it is, as an alert', async () => {
    await setLanguage('zh-CN');
    const { rerender } = render(<MediaLinkBanner problem="relayRefused" />);
    expect(screen.getByRole('alert').textContent).toContain('中继服务器拒绝了凭证');
    rerender(<MediaLinkBanner problem="relayUnreachable" />);
    expect(screen.getByRole('alert').textContent).toContain('无法连接中继服务器');
    rerender(<MediaLinkBanner problem="failed" />);
    expect(screen.getByRole('alert').textContent).toContain('正在重试');
  });

  test('and in English', async () => {
    await setLanguage('en');
    const { rerender } = render(<MediaLinkBanner problem="relayRefused" />);
    expect(screen.getByRole('alert').textContent).toContain('the relay refused the credential');
    rerender(<MediaLinkBanner problem="relayUnreachable" />);
    expect(screen.getByRole('alert').textContent).toContain('the relay cannot be reached');
  });
});
