import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes } from '#test/support/csv-fixtures';
import { useLocalStack } from '../support/local-stack';
import { companyName, ingestPublicData, secrets } from './fixtures';

const stack = useLocalStack();
const artifacts = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));

let browser: BrowserContext | undefined;
let profile: string | undefined;
let page: Page;
/** Every response body the page received, so that no secret hides in a request the page made. */
const received: string[] = [];

beforeAll(async () => {
  await ingestPublicData(stack());
  profile = await mkdtemp(join(tmpdir(), 'public-chromium-'));
  await mkdir(artifacts, { recursive: true });
  // A persistent context on a fresh directory is how Playwright takes --user-data-dir.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    locale: 'zh-CN',
    viewport: { width: 1200, height: 1400 },
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
  page = await browser.newPage();
  page.on('response', async (response) => {
    received.push(await response.text().catch(() => ''));
  });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
});

/** What a visitor (or a screen reader) can get out of the page: its text and every attribute. */
async function everythingOnPage(): Promise<string> {
  return `${await page.textContent('body')}\n${await page.$eval('html', (html) => html.outerHTML)}`;
}

function expectNoSecret(text: string) {
  for (const [what, secret] of Object.entries(secrets)) expect(text, what).not.toContain(secret);
}

describe('Page: /public/ (信用信息公示), in headless Chromium, with no key', () => {
  it('searches by name with the keyboard, opens the subject and a record, and never shows a person or an ID', async () => {
    // Act: the home page, the search form filled and sent with the keyboard
    await page.goto(`${stack().config.apiBaseUrl}/public/`);
    await page.waitForSelector('body[data-ready="true"]');
    const home = {
      lang: await page.getAttribute('html', 'lang'),
      landmarks: await page.$$eval('header, nav, main, footer, search', (nodes) =>
        nodes.map((n) => n.tagName),
      ),
      label: await page.textContent('label[for="q"]'),
    };
    await page.focus('#q');
    await page.keyboard.type(companyName);
    await page.keyboard.press('Enter');
    await page.waitForSelector('body[data-view="search"][data-ready="true"]');
    const results = await page.$$eval('ul.results a', (links) => links.map((a) => a.textContent));
    const searchText = await everythingOnPage();

    // the result opened by keyboard: Tab to the link, Enter
    await page.focus('ul.results a');
    await page.keyboard.press('Enter');
    await page.waitForSelector('body[data-view="subject"][data-ready="true"]');
    const subject = {
      heading: await page.textContent('h1'),
      sections: await page.$$eval('main h2', (nodes) => nodes.map((n) => n.textContent)),
      summary: await page.textContent('.status-summary'),
      headers: await page.$$eval('table th[scope="col"]', (nodes) => nodes.length),
    };
    const subjectText = await everythingOnPage();
    await page.screenshot({ path: join(artifacts, 'public-subject.png'), fullPage: true });

    await page.click('section[aria-labelledby="penalties-heading"] tbody a');
    await page.waitForSelector('body[data-view="record"][data-ready="true"]');
    const record = {
      heading: await page.textContent('h1'),
      facts: await page.$eval('dl.fields', (dl) => {
        const terms = [...dl.querySelectorAll('dt')];
        return terms.find((dt) => dt.textContent === '违法事实')?.nextElementSibling?.textContent;
      }),
      current: await page.getAttribute('nav [aria-current="page"]', 'href'),
    };
    const recordText = await everythingOnPage();
    await page.screenshot({ path: join(artifacts, 'public-record.png'), fullPage: true });

    // a natural person searched by ID number: nothing
    await page.goto(`${stack().config.apiBaseUrl}/public/?q=${secrets.personId}`);
    await page.waitForSelector('body[data-view="search"][data-ready="true"]');
    const personSearch = await page.textContent('#content');

    // Assess
    expect(home).toEqual({
      lang: 'zh-CN',
      landmarks: ['HEADER', 'NAV', 'MAIN', 'SEARCH', 'FOOTER'],
      label: '统一社会信用代码、工商注册号或主体全称',
    });
    expect(results).toEqual([companyName]);
    expect(subject.heading).toBe(companyName);
    expect(subject.sections).toEqual(['红黑名单状态', '行政处罚（2）', '行政许可（1）']);
    expect(subject.summary).toBe('列入黑名单 1 条，红名单 0 条。');
    expect(subject.headers).toBeGreaterThan(10);
    expect(record.heading).toMatch(/^行政处罚决定 江市监罚〔2026〕1(18|20)号$/);
    expect(record.current).toContain(`code=${codes.companyUscc}&record=`);
    expect(personSearch).toContain('未找到公示信息');
    for (const text of [searchText, subjectText, recordText, ...received]) expectNoSecret(text);
    expect(recordText).toContain('李建国'); // the legal representative's name is public, the ID never
  });

  it('says so, in Chinese, when a code has nothing public', async () => {
    await page.goto(`${stack().config.apiBaseUrl}/public/?code=91440704MA51K2Q82R`);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.textContent('[role="alert"]')).toBe('未找到该主体的公示信息。');
  });
});
