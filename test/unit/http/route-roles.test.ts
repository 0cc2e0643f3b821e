import { describe, expect, it } from 'vitest';
import { routes } from '#functions/api/routes/index';
import { publicDisclosure } from '#lib/platform/public-disclosure';

/**
 * The only writes without a key: the subject files an objection (异议) or a credit-repair application
 * and takes its steps with the secret it was given (law-and-workflows §1: the subject files, withdraws,
 * sees status).
 */
const publicWrites = [
  'POST /public/v1/objections',
  'POST /public/v1/applications/{applicationNo}/withdrawal',
  'POST /public/v1/repair-applications',
  'POST /public/v1/repair-applications/{applicationNo}/materials',
  'POST /public/v1/repair-applications/{applicationNo}/submit',
  'POST /public/v1/repair-applications/{applicationNo}/withdraw',
];

describe('Route table: roles', () => {
  const writes = routes.filter(
    (route) => route.method !== 'GET' && !publicWrites.includes(`${route.method} ${route.path}`),
  );

  it('has exactly the listed public writes, each public', () => {
    const open = routes.filter((route) => route.method !== 'GET' && route.public);
    expect(open.map((route) => `${route.method} ${route.path}`).sort()).toEqual([...publicWrites].sort());
  });

  it.each(writes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s declares the roles that may call it',
    (_name, route) => {
      expect(route.public, 'a write route outside the public API is never public').toBeFalsy();
      expect(route.roles?.length ?? 0).toBeGreaterThan(0);
    },
  );

  it('keeps public writes to POSTs under the public API', () => {
    expect(publicWrites.every((route) => route.startsWith(`POST ${publicDisclosure.apiPath}/`))).toBe(true);
  });

  it('lets no write route be called with the auditor role alone (auditors read)', () => {
    const auditorWrites = writes.filter((route) => route.roles?.every((role) => role === 'auditor'));
    expect(auditorWrites.map((route) => `${route.method} ${route.path}`)).toEqual([]);
  });
});
