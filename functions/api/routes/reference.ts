import { z } from 'zod';
import { json } from '#functions/shared/http';
import { auditDays, entriesOfSubject } from '#lib/audit/personal-data-log';
import { MatterNotFoundError } from '#lib/check/errors';
import { readSubjectFor } from '#lib/check/subject-view';
import { normaliseReferenceCode } from '#lib/datasets/reference/index';
import { ProblemError } from '#lib/http/problem';
import { consistencyReport, measuresOfMatter } from '#lib/reference/catalogue';
import { listAuthorityFindings } from '#lib/reference/list-authority';
import { listTypeView, matterView, measureView, memorandumView } from '#lib/reference/views';
import { defineRoute, type Route } from '../router';

const measuresQuery = z.object({ matterCode: z.string().trim().min(1).max(64).optional() });
type MeasuresQuery = z.infer<typeof measuresQuery>;
const subjectQuery = z.object({ purpose: z.string().trim().min(1).max(200).optional() });
type SubjectQuery = z.infer<typeof subjectQuery>;
const isoDate = z.iso.date();
const auditQuery = z.object({
  from: isoDate,
  to: isoDate,
  subjectRef: z
    .string()
    .trim()
    .regex(/^[\w-]{1,64}$/)
    .optional()
    .describe("One person's entries: the subjectRef of any entry about them"),
});
type AuditQuery = z.infer<typeof auditQuery>;

/** Reference data, subjects and the personal-data access log (issue 4). */
export const referenceRoutes: Route[] = [
  defineRoute({
    method: 'GET',
    path: '/v1/list-types',
    summary: 'Red and black list types (reference data), with the memoranda that use them',
    success: { status: 200, description: '{ listTypes: [...] }' },
    handle: async ({ deps }) => {
      const catalogue = await deps.catalogue();
      const listTypes = [...catalogue.listTypes.values()].sort((a, b) => a.code.localeCompare(b.code));
      return json(200, { listTypes: listTypes.map((listType) => listTypeView(listType, catalogue)) });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/memoranda',
    summary: 'Memoranda of joint rewards and sanctions (reference data)',
    success: { status: 200, description: '{ memoranda: [...] }' },
    handle: async ({ deps }) => {
      const catalogue = await deps.catalogue();
      return json(200, { memoranda: [...catalogue.memoranda.values()].map(memorandumView) });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/matters',
    summary: 'Administrative matters (事项) and how many measures each carries',
    success: { status: 200, description: '{ matters: [...] }' },
    handle: async ({ deps }) => {
      const catalogue = await deps.catalogue();
      const matters = [...catalogue.matters.values()].sort((a, b) => a.code.localeCompare(b.code));
      return json(200, { matters: matters.map((matter) => matterView(matter, catalogue)) });
    },
  }),
  defineRoute<undefined, MeasuresQuery>({
    method: 'GET',
    path: '/v1/measures',
    summary: 'Measures of the catalogue, or those attached to one matter (?matterCode=)',
    query: measuresQuery,
    success: { status: 200, description: '{ matterCode?, measures: [...] }' },
    problems: [
      { status: 404, code: 'MATTER_NOT_FOUND', description: 'matterCode is not in the reference data' },
    ],
    handle: async ({ query, deps }) => {
      const catalogue = await deps.catalogue();
      if (query.matterCode === undefined) {
        return json(200, {
          measures: [...catalogue.measures.values()].map((m) => measureView(m, catalogue)),
        });
      }
      const matter = catalogue.matters.get(normaliseReferenceCode(query.matterCode));
      if (!matter) {
        throw new MatterNotFoundError(query.matterCode, `matter ${query.matterCode} is not in the catalogue`);
      }
      return json(200, {
        matterCode: matter.code,
        measures: measuresOfMatter(catalogue, matter).map((m) => measureView(m, catalogue)),
      });
    },
  }),
  defineRoute({
    method: 'GET',
    path: '/v1/reference/consistency',
    summary:
      'Consistency of the reference data: matters with no measures, measures on no matter, list types no memorandum uses, measures whose memorandum is unknown, list types with no deciding agency, list entries held from agencies the list type does not name',
    roles: ['credit-office', 'auditor'],
    success: { status: 200, description: 'The consistency report' },
    handle: async ({ deps }) => {
      const catalogue = await deps.catalogue({ fresh: true });
      const report = consistencyReport(catalogue);
      const authority = await listAuthorityFindings(catalogue, deps.checks);
      const consistent =
        report.consistent &&
        authority.listTypesWithoutDecidingAgency.length === 0 &&
        authority.entriesFromNonEntitledAgencies.length === 0;
      return json(200, { ...report, ...authority, consistent });
    },
  }),
  defineRoute<undefined, SubjectQuery>({
    method: 'GET',
    path: '/v1/subjects/{code}',
    summary:
      "A subject's list memberships in effect and records in display (?purpose= is logged and drives masking)",
    roles: ['case-officer', 'credit-office'],
    query: subjectQuery,
    success: { status: 200, description: 'The subject, its memberships and records' },
    problems: [
      { status: 400, code: 'INVALID_SUBJECT_CODE', description: 'the code is no valid subject code' },
      { status: 404, code: 'SUBJECT_NOT_FOUND', description: 'no list entry or record is held for the code' },
    ],
    handle: async ({ caller, params, query, deps }) => {
      const view = await readSubjectFor(
        {
          subjects: deps.subjects,
          tallies: deps.tallies,
          catalogue: await deps.catalogue(),
          clock: deps.clock,
          audit: deps.checks,
          referencer: deps.referencer,
        },
        caller,
        params.code ?? '',
        query.purpose,
      );
      return json(200, view);
    },
  }),
  defineRoute<undefined, AuditQuery>({
    method: 'GET',
    path: '/v1/audit',
    summary:
      'The personal-data access log between two dates (Asia/Shanghai, inclusive, at most 31 days), optionally of one person (?subjectRef=); auditors only',
    roles: ['auditor'],
    query: auditQuery,
    success: { status: 200, description: '{ from, to, entries: [...] } newest first' },
    problems: [
      { status: 400, code: 'INVALID_DATE_RANGE', description: 'to before from, or more than 31 days' },
    ],
    handle: async ({ query, deps }) => {
      const days = auditDays(query.from, query.to);
      if (!Array.isArray(days)) {
        throw new ProblemError(400, 'INVALID_DATE_RANGE', days.error, [
          { field: 'query.to', code: 'RANGE', reason: days.error },
        ]);
      }
      const entries = entriesOfSubject(await deps.checks.personalDataAccesses(days), query.subjectRef);
      entries.sort((a, b) => b.at.localeCompare(a.at));
      return json(200, {
        from: query.from,
        to: query.to,
        ...(query.subjectRef ? { subjectRef: query.subjectRef } : {}),
        entries,
      });
    },
  }),
];
