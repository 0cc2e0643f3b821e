import { beforeAll, describe, expect, it } from 'vitest';
import { computeResidentIdCheckCharacter } from '#lib/identifiers/resident-id';
import { checkLimits } from '#lib/platform/resources';
import { courtHeader, courtRow, csv } from '#test/support/csv-fixtures';
import { ingestFile, registerAgency } from '../support/credit-fixtures';
import { useLocalStack, waitFor } from '../support/local-stack';

// biome-ignore lint/suspicious/noExplicitAny: API answers are read as loose JSON
type Json = Record<string, any>;

/**
 * A common name (王伟) shared by more listed persons than a check reads: a name-only check compares
 * the entries of the first `checkLimits.possibleHitSubjectsByName` and says its possible hits are
 * incomplete; a check by code is not affected.
 */
const stack = useLocalStack();
const apiKeys: Record<string, string> = {};
const limit = checkLimits.possibleHitSubjectsByName;

/** The court's list: `limit + 1` persons named 王伟, each with a masked ID of their own. */
const namesakes = Array.from({ length: limit + 1 }, (_, n) => `44070219${10 + n}****4129`);

/** A valid resident ID the masked one fits: a January birth day (hidden digits) giving its check character. */
function idFitting(masked: string): string {
  for (let day = 1; day <= 28; day++) {
    const first17 = `${masked.slice(0, 10)}01${String(day).padStart(2, '0')}${masked.slice(14, 17)}`;
    if (computeResidentIdCheckCharacter(first17) === masked.slice(17)) return `${first17}${masked.slice(17)}`;
  }
  throw new Error(`no January birth day fits ${masked}`);
}

async function check(subject: Record<string, string>): Promise<Json> {
  const response = await fetch(`${stack().config.apiBaseUrl}/v1/checks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKeys.SCJG}`, 'content-type': 'application/json' },
    body: JSON.stringify({ subject }),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as Json;
}

beforeAll(async () => {
  apiKeys.SCJG = await registerAgency(stack(), 'SCJG');
  await registerAgency(stack(), 'ZYFY', '11440700MB2D23451J');
  const report = await ingestFile(
    stack(),
    'ZYFY',
    'court-dishonest',
    'namesakes.csv',
    csv([
      courtHeader,
      ...namesakes.map((masked, n) =>
        courtRow({
          '被执行人姓名/名称': '王伟',
          '身份证号码/组织机构代码': masked,
          案号: `（2026）粤0703执${1000 + n}号`,
        }),
      ),
    ]),
  );
  expect(report.counts).toMatchObject({ accepted: limit + 1, rejected: 0 });
});

describe('Persons a court lists by masked ID', () => {
  it('are each re-screened once as a masked subject, without failure, alerting no one (nobody watches them)', async () => {
    const stats = await waitFor(
      () => (stack().pollers.match.stats.succeeded >= limit + 1 ? stack().pollers.match.stats : undefined),
      { timeoutMs: 30_000, what: 'the masked subjects re-screened' },
    );
    expect(stats).toMatchObject({ received: limit + 1, succeeded: limit + 1, failed: 0 });
    expect(
      stack()
        .emulators.eventBridge.events()
        .filter((event) => event.detailType === 'credit.alert'),
    ).toEqual([]);
  });
});

describe('A name shared by more listed persons than a check reads', () => {
  it('shows the possible hits of the first ones and says the rest were not compared', async () => {
    const result = await check({ name: '王伟', type: 'person' });
    expect(result.hits).toHaveLength(limit);
    expect(result.hits.every((hit: Json) => hit.status === 'possible')).toBe(true);
    expect(result.possibleHitsIncomplete).toMatchObject({ subjectsRead: limit });
    expect(result.possibleHitsIncomplete.reason).toContain('give the subject');
  });

  it('still finds by masked ID the namesake the name comparison left out', async () => {
    // The last namesake sorts last: beyond the first `limit` the name comparison reads.
    const last = namesakes.at(-1)!;
    const result = await check({ code: idFitting(last), name: '王伟' });
    expect(result.hits).toMatchObject([
      {
        status: 'possible',
        matchedBy: { identifier: 'resident-id' },
        subjectKey: expect.stringContaining(last),
      },
    ]);
    expect(result.hits).toHaveLength(1);
  });
});
