/**
 * The part of IAM policy evaluation API Gateway applies to a Lambda authorizer's policy: an explicit
 * Deny on a matching resource wins, otherwise a matching Allow is needed. Resources are matched with
 * IAM wildcards (`*` any run of characters, `?` one character).
 */
interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
}

function asList(value: string | string[] | undefined): string[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export function wildcardMatches(pattern: string, value: string): boolean {
  const regex = new RegExp(
    `^${pattern
      .split('')
      .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
  );
  return regex.test(value);
}

function actionMatches(action: string | string[] | undefined): boolean {
  return asList(action).some((pattern) => wildcardMatches(pattern.toLowerCase(), 'execute-api:invoke'));
}

export type PolicyDecision = 'Allow' | 'Deny';

export function evaluatePolicy(policyDocument: unknown, methodArn: string): PolicyDecision {
  const document = policyDocument as { Statement?: Statement | Statement[] } | undefined;
  const raw = document?.Statement;
  const statements: Statement[] = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
  let allowed = false;
  for (const statement of statements) {
    if (!actionMatches(statement.Action)) continue;
    if (!asList(statement.Resource).some((resource) => wildcardMatches(resource, methodArn))) continue;
    if (statement.Effect === 'Deny') return 'Deny';
    if (statement.Effect === 'Allow') allowed = true;
  }
  return allowed ? 'Allow' : 'Deny';
}
