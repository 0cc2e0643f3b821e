import { describe, expect, it } from 'vitest';
import { routes } from '../../../functions/api/routes';
import { publicDisclosure } from '../../../lib/platform/public-disclosure';

describe('Route table: roles', () => {
  const writes = routes.filter((route) => route.method !== 'GET');
  /** Public filings (credit-repair applications): no key, under the public API only, guarded by their secret. */
  const isPublicFiling = (route: (typeof routes)[number]) =>
    route.public === true && route.path.startsWith(`${publicDisclosure.apiPath}/`);

  it.each(
    writes
      .filter((route) => !isPublicFiling(route))
      .map((route) => [`${route.method} ${route.path}`, route] as const),
  )('%s declares the roles that may call it', (_name, route) => {
    expect(route.public, 'a write route outside the public API is never public').toBeFalsy();
    expect(route.roles?.length ?? 0).toBeGreaterThan(0);
  });

  it('keeps public write routes to the public filings under the public API', () => {
    const publicWrites = writes
      .filter((route) => route.public)
      .map((route) => `${route.method} ${route.path}`);
    expect(publicWrites.every((route) => route.startsWith(`POST ${publicDisclosure.apiPath}/`))).toBe(true);
  });

  it('lets no write route be called with the auditor role alone (auditors read)', () => {
    const auditorWrites = writes.filter((route) => route.roles?.every((role) => role === 'auditor'));
    expect(auditorWrites.map((route) => `${route.method} ${route.path}`)).toEqual([]);
  });
});
