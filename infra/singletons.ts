import { CfnResource, type IAspect, Stack } from 'aws-cdk-lib';
import { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { ILogGroup } from 'aws-cdk-lib/aws-logs';
import type { IConstruct } from 'constructs';
import type { StageSettings } from './config';
import { CreditFunction } from './constructs/credit-function';

/**
 * The functions aws-cdk-lib adds itself (bucket notifications, auto-delete of dev buckets, the public
 * site's BucketDeployment) come with the library's runtime and, unless given one, a log group that
 * never expires.
 * This aspect points their logs at `logGroup` (the stage retention) and, where the stage says so,
 * replaces their runtime by one the target region offers (same family: nodejs or python) and their
 * architecture by x86_64 when the stage runs on x86_64.
 */
export class LibraryFunctions implements IAspect {
  constructor(
    private readonly settings: StageSettings,
    private readonly logGroup: ILogGroup,
  ) {}

  visit(node: IConstruct): void {
    if (!(node instanceof CfnResource) || node.cfnResourceType !== 'AWS::Lambda::Function') return;
    if (node.node.scopes.some((scope) => scope instanceof CreditFunction)) return;
    // A library function given its own log group (e.g. the public site's BucketDeployment) keeps it.
    if (!(node instanceof CfnFunction && node.loggingConfig !== undefined)) {
      node.addPropertyOverride('LoggingConfig.LogGroup', this.logGroup.logGroupName);
    }
    const runtime = this.runtimeFor(node instanceof CfnFunction ? node.runtime : libraryRuntimeOf(node));
    if (runtime !== undefined) node.addPropertyOverride('Runtime', runtime);
    // Where the stage runs on x86_64 (arm64 unconfirmed in the region), so do the library's functions.
    if (this.settings.architecture === 'x86_64') node.addPropertyOverride('Architectures', ['x86_64']);
  }

  private runtimeFor(current: string | undefined): string | undefined {
    const { nodejs, python } = this.settings.singletonRuntimes;
    if (current?.startsWith('nodejs')) return nodejs;
    if (current?.startsWith('python')) return python;
    return undefined;
  }
}

/** The runtime the library declared on a raw function resource (its properties are not public API). */
export function libraryRuntimeOf(resource: CfnResource): string | undefined {
  const properties: unknown = Stack.of(resource).resolve(Reflect.get(resource, '_cfnProperties'));
  if (typeof properties !== 'object' || properties === null) return undefined;
  const runtime: unknown = Reflect.get(properties, 'Runtime');
  return typeof runtime === 'string' ? runtime : undefined;
}
