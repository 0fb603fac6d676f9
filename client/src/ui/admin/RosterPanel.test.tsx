// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { setLanguage } from '../../i18n/index.js';
import { fakeFetch, type Answer } from '../comments/fakeCommentsServer.js';
import { aMember, anAccount, DISTRICT, orgContext } from './orgTesting.js';
import { RosterPanel } from './RosterPanel.js';

beforeAll(() => setLanguage('en'));
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const ROSTER = 'GET /api/orgs/org-huangpu/roster';
const IMPORT = 'POST /api/orgs/org-huangpu/roster/import';
const WANG = aMember(DISTRICT, 'm-wang01', 'Wang Li', 'Economy', 'd1');

function renderRoster(importAnswer: () => Answer) {
  const sent = fakeFetch({ [ROSTER]: () => ({ status: 200, body: { members: [WANG] } }), [IMPORT]: importAnswer });
  const { ctx, failures } = orgContext({ account: anAccount(DISTRICT, 'organiser'), orgs: [DISTRICT] }, DISTRICT);
  render(<RosterPanel ctx={ctx} />);
  return { sent, failures };
}

async function importFile(name: string, text: string): Promise<void> {
  await screen.findByText('Wang Li');
  const file = new File([text], name, { type: 'text/csv' });
  fireEvent.change(screen.getByLabelText('Roster file (.csv or .xlsx)'), { target: { files: [file] } });
  fireEvent.click(screen.getByRole('button', { name: 'Import' }));
}

describe('importing a roster', () => {
  test('a refused file lists every bad row as “Row N · column · reason”, and the roster stays as it was', async () => {
    const { sent, failures } = renderRoster(() => ({
      status: 422,
      body: {
        error: 'BAD_REQUEST',
        detail: '2 bad rows',
        rows: [
          { row: 3, column: '姓名', message: 'required' },
          { row: 7, column: 'venue', message: 'venue: letters, digits, _ or -' },
        ],
      },
    }));
    await importFile('roster.csv', '姓名,界别\n,经济界\n');
    const errors = await screen.findByTestId('roster-row-errors');
    expect(within(errors).getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      'Row 3 · 姓名 · required',
      'Row 7 · venue · venue: letters, digits, _ or -',
    ]);
    expect(screen.getByTestId('roster-import-error').textContent).toContain('The file has 2 errors; nothing was imported.');
    const post = sent.find((s) => s.method === 'POST');
    expect(post?.path).toBe('/api/orgs/org-huangpu/roster/import?mode=merge');
    expect(screen.getAllByTestId('roster-row')).toHaveLength(1);
    // The rows are the form's to show, not a failure of the page.
    expect(failures).toEqual([]);
  });

  test('an imported file replaces the table with the roster as it is now and says what changed', async () => {
    const li = aMember(DISTRICT, 'm-li0001', 'Li Hua', 'Science', 'd2');
    renderRoster(() => ({ status: 200, body: { added: 1, updated: 1, removed: 0, members: [WANG, li] } }));
    await importFile('roster.csv', 'name\nWang Li\nLi Hua\n');
    expect((await screen.findByTestId('roster-imported')).textContent).toBe('Imported: 1 added, 1 updated, 0 removed.');
    expect(screen.getAllByTestId('roster-row').map((row) => row.getAttribute('data-member-id'))).toEqual(['m-wang01', 'm-li0001']);
  });

  test('a file that is neither .csv nor .xlsx (an old .xls) is not sent', async () => {
    const { sent } = renderRoster(() => ({ status: 500, body: {} }));
    await importFile('roster.xls', 'x');
    expect((await screen.findByTestId('roster-import-error')).textContent).toBe('Please choose a .csv or .xlsx file (save an old .xls as .xlsx in Excel).');
    expect(sent.filter((s) => s.method === 'POST')).toEqual([]);
  });
});
