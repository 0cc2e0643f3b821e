import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { codes, csv, listEntryHeader, listEntryRow, penaltyCsv } from '#test/support/csv-fixtures';
import { ingestFile, loadListTypes, registerAgency } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

const stack = useLocalStack();
const scheduledEvent = JSON.parse(
  readFileSync(new URL('../../../events/deadlines/scheduled.json', import.meta.url), 'utf8'),
);
const artifacts = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));

let browser: BrowserContext | undefined;
let profile: string | undefined;
afterAll(async () => {
  await browser?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

describe('Page: /ops (local operator page)', () => {
  it('draws the dashboard figures from the local metrics in headless Chromium, refreshing live', async () => {
    // Prepare: some traffic — a file with a late and a rejected row, checks (one hit), a 4xx, a deadlines run
    const apiKey = await registerAgency(stack(), 'SCJG');
    await registerAgency(stack(), 'SWJ', '11440700MB2C123480');
    await loadListTypes(stack());
    const listing = listEntryRow({
      主体名称: '江门市新会区顺达物流有限公司',
      统一社会信用代码: codes.otherCompanyUscc,
      法定代表人: '',
      法定代表人证件号码: '',
    });
    await ingestFile(stack(), 'SWJ', 'list-entry', 'ops.csv', csv([listEntryHeader, listing]));
    await ingestFile(
      stack(),
      'SCJG',
      'admin-penalty',
      'ops.csv',
      penaltyCsv([{ CF_WSH: 'OPS-1' }, { CF_WSH: 'OPS-2', CF_XDR_SHXYM: '91440700MA4X0X0X0X' }]),
    );
    const check = (code: string) =>
      fetch(`${stack().config.apiBaseUrl}/v1/checks`, {
        method: 'POST',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ subject: { code } }),
      });
    expect((await check(codes.companyUscc)).status).toBe(201);
    expect((await check(codes.otherCompanyUscc)).status).toBe(201);
    expect((await fetch(`${stack().config.apiBaseUrl}/v1/checks`, { method: 'POST' })).status).toBe(401);
    // tomorrow's run (01:30 Asia/Shanghai) lists today's late row
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    await stack().handlers.deadlines({ ...scheduledEvent, time: `${today}T17:30:00Z` }, {} as never);
    profile = await mkdtemp(join(tmpdir(), 'ops-chromium-'));
    await mkdir(artifacts, { recursive: true });

    // Act
    // A persistent context on a fresh directory is how Playwright takes --user-data-dir.
    browser = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      viewport: { width: 1400, height: 1500 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const page = await browser.newPage();
    const failedRequests: string[] = [];
    page.on('requestfailed', (request) => failedRequests.push(request.url()));
    await page.goto(`${stack().config.apiBaseUrl}/ops`);
    await page.waitForSelector('section.panel[data-panel="ingestion-rows"]');
    const firstRefresh = await page.getAttribute('body', 'data-refreshed');
    // another check while the page is open: the next poll shows it without a reload
    expect((await check(codes.companyUscc)).status).toBe(201);
    await page.waitForSelector(`body:not([data-refreshed="${firstRefresh}"])`, { timeout: 10_000 });
    const panels = await page.$$eval('section.panel', (sections) =>
      sections.map((section) => ({
        id: section.getAttribute('data-panel'),
        points: Number(section.getAttribute('data-points')),
        paths: section.querySelectorAll('path.series').length,
        legend: section.querySelector('.legend')?.textContent ?? '',
      })),
    );
    await page.screenshot({ path: join(artifacts, 'ops.png'), fullPage: true });

    // Assess: every section of the CloudWatch dashboard is there...
    expect(panels.map((panel) => panel.id)).toEqual([
      'ingestion-rows',
      'ingestion-jobs',
      'checks-count',
      'api-latency',
      'api-errors',
      'feedback',
      'deadlines-overdue',
      'queue-depth',
      'queue-age',
      'dlq-depth',
      'lambda-invocations',
      'lambda-duration',
      'lambda-concurrency',
    ]);
    // ...and the charts carry the traffic above, captured from Powertools EMF and the local stack
    const byId = Object.fromEntries(panels.map((panel) => [panel.id, panel]));
    for (const id of [
      'ingestion-rows',
      'checks-count',
      'api-latency',
      'api-errors',
      'lambda-invocations',
      'lambda-duration',
    ]) {
      expect(byId[id]?.points, id).toBeGreaterThan(0);
      expect(byId[id]?.paths, id).toBeGreaterThan(0);
    }
    expect(byId['ingestion-rows']?.legend).toContain('accepted 5'); // 3 list types + 1 penalty + 1 list entry
    expect(byId['ingestion-rows']?.legend).toContain('rejected 1');
    expect(byId['checks-count']?.legend).toContain('checks 3');
    expect(byId['checks-count']?.legend).toMatch(/hit rate % [1-9]/);
    expect(byId['api-errors']?.legend).toMatch(/4xx [1-9]/);
    expect(byId['deadlines-overdue']?.legend).toContain('late-record 1');
    expect(failedRequests).toEqual([]);
    expect((await stat(join(artifacts, 'ops.png'))).size).toBeGreaterThan(10_000);
  });
});
