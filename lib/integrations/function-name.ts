/**
 * A Lambda FunctionName as the Invoke API accepts it: a name (`my-function`), a partial ARN
 * (`123456789012:function:my-function`) or a full ARN (`arn:aws:lambda:us-east-1:123456789012:function:my-function`),
 * each optionally qualified (`:$LATEST`, `:1`, `:alias`).
 */
export interface FunctionName {
  readonly name: string;
  readonly qualifier?: string;
  /** From the ARN, where given. */
  readonly partition?: string;
  readonly region?: string;
  readonly accountId?: string;
}

const FULL = /^arn:(aws[a-zA-Z-]*):lambda:([a-z0-9-]+):(\d{12}):function:([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/;
const PARTIAL = /^(\d{12}):function:([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/;
const NAME = /^([a-zA-Z0-9_-]+)(?::([a-zA-Z0-9$_-]+))?$/;

export function parseFunctionName(value: string): FunctionName | undefined {
  const full = FULL.exec(value);
  if (full) return withQualifier({ partition: full[1]!, region: full[2]!, accountId: full[3]!, name: full[4]! }, full[5]);
  const partial = PARTIAL.exec(value);
  if (partial) return withQualifier({ accountId: partial[1]!, name: partial[2]! }, partial[3]);
  const name = NAME.exec(value);
  if (name) return withQualifier({ name: name[1]! }, name[2]);
  return undefined;
}

function withQualifier(fn: FunctionName, qualifier: string | undefined): FunctionName {
  return qualifier === undefined ? fn : { ...fn, qualifier };
}

/** The function's unqualified ARN, filling what the name leaves out with the caller's region and account. */
export function functionArn(fn: FunctionName, defaults: { region: string; accountId: string }): string {
  return `arn:${fn.partition ?? 'aws'}:lambda:${fn.region ?? defaults.region}:${fn.accountId ?? defaults.accountId}:function:${fn.name}`;
}
