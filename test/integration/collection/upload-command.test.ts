import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HeadObjectCommand } from '@aws-sdk/client-s3';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoJobItems } from '#lib/aws/job-items';
import { JobReader } from '#lib/ingestion-jobs/job-reader';
import { AGENCY_REGISTRY_ENV } from '#lib/platform/agency-registry';
import { bucketLayout } from '#lib/platform/resources';
import type { LocalStackFile } from '#local/stack-config';
import { codes, penaltyCsv, penaltyHeader, penaltyRow } from '#test/support/csv-fixtures';
import { readJson, storeOf } from '../support/credit-fixtures';
import { useLocalStack } from '../support/local-stack';

const stack = useLocalStack({ authorizerCacheSeconds: 300 });
const root = fileURLToPath(new URL('../../../', import.meta.url));
const tsx = join(root, 'node_modules/.bin/tsx');

let workDir: string;
let stackFile: string;
let registryFile: string;

interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a tool the way `npm run <tool>` does, pointed at the test stack and the test registry. */
function run(tool: 'upload' | 'admin', args: string[]): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      tsx,
      [`tools/${tool}.ts`, ...args],
      {
        cwd: root,
        env: {
          ...process.env,
          STACK_FILE: stackFile,
          [AGENCY_REGISTRY_ENV]: registryFile,
          TABLE_NAME: '',
          BUCKET_NAME: '',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const testRegistry = {
  agencies: [
    {
      code: 'SCJG',
      name: '江门市市场监督管理局',
      uscc: codes.agencyUscc,
      roles: ['case-officer'],
      datasets: ['admin-penalty', 'list-entry'],
    },
    {
      code: 'XYB',
      name: '江门市发展和改革局（信用办）',
      uscc: '11440700MB2E345657',
      roles: ['credit-office', 'auditor'],
      datasets: ['list-type'],
    },
  ],
};

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'joint-credit-upload-'));
  stackFile = join(workDir, 'stack.json');
  registryFile = join(workDir, 'agencies.json');
  const file: LocalStackFile = { ...stack().config, pid: process.pid, startedAt: new Date().toISOString() };
  await writeFile(stackFile, JSON.stringify(file), 'utf8');
  await writeFile(registryFile, JSON.stringify(testRegistry), 'utf8');
  const sync = await run('admin', ['agency', 'sync']);
  expect(sync).toMatchObject({ code: 0 });
});

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe('Command: npm run upload', () => {
  it('uploads under incoming/<agency>/<dataset>/<basename>, follows the job and exits 0 when it completes', async () => {
    // Prepare
    const file = join(workDir, '2026-11 处罚.csv');
    await writeFile(file, penaltyCsv([{ CF_WSH: 'U-1' }, { CF_WSH: 'U-2', CF_XDR_MC: '' }]), 'utf8');
    // Act
    const result = await run('upload', ['--agency', 'SCJG', '--dataset', 'admin-penalty', file]);
    // Assess
    expect(result.stderr).toContain('incoming/SCJG/admin-penalty/2026-11 处罚.csv');
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    // Not a terminal: progress as plain lines, ending with the finished counts.
    expect(lines).toContain('completed: rows 2, accepted 1, rejected 1, duplicate 0');
    expect(result.stdout).toMatch(/^job job-\w+ completed in \d+\.\d s$/m);
    expect(result.stdout).toMatch(/^rows 2, accepted 1, rejected 1, duplicate 0, late \d+$/m);
    expect(result.stdout).toContain('row 3: CF_XDR_MC: ');
    const reportKey = bucketLayout.reportKey('SCJG', 'admin-penalty', '2026-11 处罚.csv');
    expect(result.stdout).toContain(`report: s3://${stack().config.bucketName}/${reportKey}`);
    // What it printed is the stored job and report.
    const jobId = /^job (job-\w+)/m.exec(result.stdout)?.[1] ?? '';
    const items = new DynamoJobItems(stack().clients.documentClient, stack().config.tableName);
    const job = await new JobReader(items).get(jobId);
    expect(job).toMatchObject({ status: 'completed', counts: { rows: 2, accepted: 1, rejected: 1 } });
    expect(await readJson(stack(), reportKey)).toMatchObject({ jobId, status: 'completed' });
  });

  it('--sheet uploads an XLSX as <name>@<sheet>.xlsx so that the named sheet is read', async () => {
    // Prepare: a workbook whose first sheet is a cover note, the data on the second
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('说明').addRow(['江门市市场监督管理局 2026年11月 行政处罚']);
    const data = workbook.addWorksheet('处罚');
    data.addRow([...penaltyHeader]);
    data.addRow(penaltyRow({ CF_WSH: 'X-1' }));
    const file = join(workDir, 'penalties.xlsx');
    await workbook.xlsx.writeFile(file);
    // Act
    const result = await run('upload', [
      '--agency',
      'SCJG',
      '--dataset',
      'admin-penalty',
      file,
      '--sheet',
      '处罚',
    ]);
    // Assess
    expect(result.stderr).toContain('incoming/SCJG/admin-penalty/penalties@处罚.xlsx');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^rows 1, accepted 1, rejected 0, duplicate 0, late \d+$/m);
    expect(result.stdout).toContain(bucketLayout.reportKey('SCJG', 'admin-penalty', 'penalties@处罚.xlsx'));
  });

  it('draws a progress bar on a terminal', async () => {
    // Prepare: `script` gives the command a pseudo-terminal, as an operator's shell would
    const file = join(workDir, 'tty.csv');
    await writeFile(file, penaltyCsv([{ CF_WSH: 'T-1' }, { CF_WSH: 'T-2' }, { CF_WSH: 'T-3' }]), 'utf8');
    const command = [tsx, 'tools/upload.ts', '--agency', 'SCJG', '--dataset', 'admin-penalty', file]
      .map((part) => `'${part}'`)
      .join(' ');
    // Act
    const result = await new Promise<CommandResult>((resolve) => {
      execFile(
        'script',
        ['-qec', command, '/dev/null'],
        {
          cwd: root,
          env: { ...process.env, STACK_FILE: stackFile, [AGENCY_REGISTRY_ENV]: registryFile, TABLE_NAME: '' },
          timeout: 60_000,
        },
        (error, stdout, stderr) =>
          resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      );
    });
    // Assess: the bar's last frame is full, with the counts beside it
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /completed \|█+\| 100% \| rows 3 \| accepted 3 \| rejected 0 \| duplicate 0/,
    );
    expect(result.stdout).toMatch(/job job-\w+ completed/);
  });

  it('exits 1 when the file is rejected, printing why', async () => {
    // Prepare
    const file = join(workDir, 'no-header.csv');
    await writeFile(file, '', 'utf8');
    // Act
    const result = await run('upload', ['--agency', 'SCJG', '--dataset', 'admin-penalty', file]);
    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^job job-\w+ rejected/m);
    expect(result.stdout).toMatch(/^file error [A-Z_]+: /m);
    expect(result.stdout).toContain(bucketLayout.reportKey('SCJG', 'admin-penalty', 'no-header.csv'));
  });

  it('exits 1 when every row is rejected: the report and the job say rejected, not completed', async () => {
    // Prepare
    const file = join(workDir, 'all-bad.csv');
    await writeFile(
      file,
      penaltyCsv([
        { CF_WSH: 'AB-1', CF_XDR_MC: '' },
        { CF_WSH: 'AB-2', CF_NR_FK: '' },
      ]),
      'utf8',
    );
    // Act
    const result = await run('upload', ['--agency', 'SCJG', '--dataset', 'admin-penalty', file]);
    // Assess
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^job job-\w+ rejected/m);
    expect(result.stdout).toMatch(/^file error NO_ROWS_ACCEPTED: /m);
    const reportKey = bucketLayout.reportKey('SCJG', 'admin-penalty', 'all-bad.csv');
    expect(await readJson(stack(), reportKey)).toMatchObject({
      status: 'rejected',
      counts: { rows: 2, accepted: 0, rejected: 2 },
    });
  });

  it('refuses a dataset the registry does not allow the agency, uploading nothing (exit 2)', async () => {
    // Prepare
    const file = join(workDir, 'licences.csv');
    await writeFile(file, 'XK_XDR_MC\n某公司\n', 'utf8');
    // Act
    const result = await run('upload', ['--agency', 'SCJG', '--dataset', 'admin-license', file]);
    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('agency SCJG may not submit dataset "admin-license"');
    await expect(
      stack().clients.s3.send(
        new HeadObjectCommand({
          Bucket: stack().config.bucketName,
          Key: bucketLayout.incomingKey('SCJG', 'admin-license', 'licences.csv'),
        }),
      ),
    ).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('explains its usage when the file is missing (exit 2)', async () => {
    const result = await run('upload', ['--agency', 'SCJG', '--dataset', 'admin-penalty']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('usage: npm run upload');
  });
});

describe('Command: npm run admin', () => {
  it('agency sync (run before these tests) loaded every registry agency as a profile with its roles and datasets', async () => {
    const store = storeOf(stack());
    for (const agency of testRegistry.agencies) {
      expect(await store.getItem(`AGENCY#${agency.code}`, 'PROFILE')).toMatchObject(agency);
    }
  });

  it('agency add writes the registry and the agency profile the ingest path reads', async () => {
    // Act
    const result = await run('admin', [
      'agency',
      'add',
      '--code',
      'SWJ',
      '--name',
      '国家税务总局江门市税务局',
      '--uscc',
      '11440700MB2C123480',
      '--roles',
      'case-officer',
      '--datasets',
      'list-entry',
    ]);
    // Assess
    expect(result).toMatchObject({ code: 0 });
    const registry = JSON.parse(await readFile(registryFile, 'utf8'));
    expect(registry.agencies.map((agency: { code: string }) => agency.code)).toEqual(['SCJG', 'XYB', 'SWJ']);
    const profile = await storeOf(stack()).getItem('AGENCY#SWJ', 'PROFILE');
    expect(profile).toMatchObject({ code: 'SWJ', uscc: '11440700MB2C123480', datasets: ['list-entry'] });
  });

  it('agency add refuses an invalid USCC and changes nothing', async () => {
    const before = await readFile(registryFile, 'utf8');
    const result = await run('admin', [
      'agency',
      'add',
      '--code',
      'HBJ',
      '--name',
      '生态环境局',
      '--uscc',
      '11440700MB2C123481',
      '--roles',
      'case-officer',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--uscc: /);
    expect(await readFile(registryFile, 'utf8')).toBe(before);
    expect(await storeOf(stack()).getAgency('HBJ')).toBeUndefined();
  });

  it('key create refuses an agency outside the registry and a role the registry does not give the agency', async () => {
    // Act
    const unknownAgency = await run('admin', [
      'key',
      'create',
      '--agency',
      'NOBODY',
      '--roles',
      'case-officer',
    ]);
    const foreignRole = await run('admin', ['key', 'create', '--agency', 'SCJG', '--roles', 'credit-office']);
    // Assess
    expect(unknownAgency.code).toBe(2);
    expect(unknownAgency.stderr).toContain('agency NOBODY is not in the registry');
    expect(foreignRole.code).toBe(2);
    expect(foreignRole.stderr).toContain('may not hold the roles credit-office');
  });

  it('creates, lists and revokes a key; locally the revoke flushes the authorizer cache, so the key gets 401 at once', async () => {
    // Prepare
    const created = await run('admin', [
      'key',
      'create',
      '--agency',
      'SCJG',
      '--roles',
      'case-officer',
      '--label',
      'ops',
    ]);
    expect(created.code).toBe(0);
    const { keyId, apiKey } = JSON.parse(created.stdout) as { keyId: string; apiKey: string };
    const call = () =>
      stack().api.request('GET', '/v1/ingestion/jobs?limit=1', {
        headers: { authorization: `Bearer ${apiKey}` },
      });
    expect((await call()).status).toBe(200);
    const listed = await run('admin', ['key', 'list', '--agency', 'SCJG']);
    expect(listed.stdout).toMatch(new RegExp(`^${keyId}\\tcase-officer\\t\\S+\\tactive\\tops$`, 'm'));
    // Act
    const revoked = await run('admin', ['key', 'revoke', '--agency', 'SCJG', '--key-id', keyId]);
    // Assess
    expect(revoked.code).toBe(0);
    const after = await call();
    expect(after.status).toBe(401);
    const relisted = await run('admin', ['key', 'list', '--agency', 'SCJG']);
    expect(relisted.stdout).toMatch(new RegExp(`^${keyId}\\tcase-officer\\t\\S+\\trevoked \\S+\\tops$`, 'm'));
  });
});
