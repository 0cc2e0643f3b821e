import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { auditReferenceSecret, env } from '#lib/platform/resources';
import { allowedActions, defined, logicalId, ref, resourceOf, type Synthesized, synthesize } from './support';

describe('Construct: AuditReferenceKey', () => {
  let dev: Synthesized;
  let prod: Synthesized;

  beforeAll(() => {
    dev = synthesize('dev');
    prod = synthesize('prod');
  });

  it('is a secret generated at deployment: no key in the template', () => {
    dev.template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'joint-credit-dev-AuditReferenceKey',
      GenerateSecretString: Match.objectLike({
        PasswordLength: auditReferenceSecret.length,
        ExcludePunctuation: true,
      }),
    });
    const secret = resourceOf(
      dev.template,
      'AWS::SecretsManager::Secret',
      dev.stack.auditReferenceKey.secret,
    );
    expect(secret.Properties['SecretString']).toBeUndefined();
  });

  it('is never rotated automatically (a new key would split every person’s history in the log)', () => {
    dev.template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
  });

  it('is encrypted with its own rotating customer-managed key in prod, and kept when the stack goes', () => {
    const secret = resourceOf(
      prod.template,
      'AWS::SecretsManager::Secret',
      prod.stack.auditReferenceKey.secret,
    );
    expect(secret.Properties['KmsKeyId']).toBeDefined();
    expect(secret.DeletionPolicy).toBe('Retain');
  });

  it('tells the api function where the key is and lets it read exactly that secret', () => {
    const api = dev.stack.api.apiFunction;
    const fn = resourceOf(dev.template, 'AWS::Lambda::Function', api.function);
    const environment = fn.Properties['Environment'] as { Variables: Record<string, unknown> };
    expect(environment.Variables[env.auditReferenceSecretArn]).toEqual(
      ref(dev.stack.auditReferenceKey.secret),
    );
    const allowed = allowedActions(dev.template, api.role);
    expect(allowed.get('secretsmanager:GetSecretValue')).toEqual([ref(dev.stack.auditReferenceKey.secret)]);
  });

  it('is read by no other function (only the api function writes the access log)', () => {
    const others = [
      dev.stack.ingest.function,
      dev.stack.match.function,
      dev.stack.deadlines.function,
      defined(dev.stack.api.authorizerFunction, 'the authorizer'),
    ];
    for (const other of others) {
      expect(allowedActions(dev.template, other.role).has('secretsmanager:GetSecretValue')).toBe(false);
    }
    expect(logicalId(dev.stack.auditReferenceKey.secret)).toMatch(/^AuditReferenceKey/);
  });
});
