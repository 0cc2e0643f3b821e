import { describe, expect, it } from 'vitest';
import { routes } from '../../../functions/api/routes';

/**
 * The only writes without a key: the subject files an objection (异议) and withdraws it with the
 * secret it was given (law-and-workflows §1: the subject files, withdraws, sees status).
 */
const publicWrites = [
  'POST /public/v1/objections',
  'POST /public/v1/applications/{applicationNo}/withdrawal',
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
      expect(route.public, 'a write route is never public').toBeFalsy();
      expect(route.roles?.length ?? 0).toBeGreaterThan(0);
    },
  );

  it('lets no write route be called with the auditor role alone (auditors read)', () => {
    const auditorWrites = writes.filter(
      (route) => route.roles && route.roles.every((role) => role === 'auditor'),
    );
    expect(auditorWrites.map((route) => `${route.method} ${route.path}`)).toEqual([]);
  });
});
