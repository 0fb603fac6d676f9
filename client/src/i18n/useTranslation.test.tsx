// @vitest-environment jsdom
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import i18n, { setLanguage } from './index.js';
import { useTranslation } from './useTranslation.js';

beforeEach(() => setLanguage('zh-CN'));
afterEach(cleanup);

function Label() {
  const { t } = useTranslation();
  return <span data-testid="label">{t('language.switch')}</span>;
}

describe('useTranslation', () => {
  test('translates into the current language and renders again when it changes', async () => {
    render(<Label />);
    expect(screen.getByTestId('label').textContent).toBe('English');
    await act(() => setLanguage('en'));
    expect(screen.getByTestId('label').textContent).toBe('中文');
    await act(() => setLanguage('zh-CN'));
    expect(screen.getByTestId('label').textContent).toBe('English');
  });

  test('a component unmounted stops listening for language changes', () => {
    const on = vi.spyOn(i18n, 'on');
    const off = vi.spyOn(i18n, 'off');
    const view = render(<Label />);
    const listeners = on.mock.calls.filter(([event]) => event === 'languageChanged').map(([, listener]) => listener);
    expect(listeners).toHaveLength(1);
    view.unmount();
    expect(off.mock.calls).toContainEqual(['languageChanged', listeners[0]]);
    on.mockRestore();
    off.mockRestore();
  });
});
