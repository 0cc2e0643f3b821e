import { describe, expect, it } from 'vitest';
import { routes } from '../../../functions/api/routes';

describe('Route table: roles', () => {
  const writes = routes.filter((route) => route.method !== 'GET');

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
