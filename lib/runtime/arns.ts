/** ARNs as AWS Step Functions forms them. */
export interface Partition {
  readonly region: string;
  readonly accountId: string;
}

export function stateMachineArn(p: Partition, name: string): string {
  return `arn:aws:states:${p.region}:${p.accountId}:stateMachine:${name}`;
}

/**
 * Joined rather than concatenated: one flat string, where a template literal leaves a rope of cons
 * strings (~220 bytes more) that every execution's record and map keys would keep.
 */
export function executionArn(p: Partition, stateMachineName: string, name: string): string {
  return ['arn:aws:states', p.region, p.accountId, 'execution', stateMachineName, name].join(':');
}

export function expressExecutionArn(p: Partition, stateMachineName: string, name: string, id: string): string {
  return ['arn:aws:states', p.region, p.accountId, 'express', stateMachineName, name, id].join(':');
}

const STATE_MACHINE_ARN = /^arn:aws[\w-]*:states:[a-z0-9-]+:\d{12}:stateMachine:([^:]+)(?::[^:]+)?$/;
const EXECUTION_ARN = /^arn:aws[\w-]*:states:[a-z0-9-]+:\d{12}:(execution|express):([^:]+):([^:]+)(?::[^:]+)?$/;

export function parseStateMachineArn(arn: string): { name: string } | undefined {
  const m = STATE_MACHINE_ARN.exec(arn);
  return m ? { name: m[1]! } : undefined;
}

/** The state machine's name in its ARN (a version or alias suffix is not part of it). */
export function stateMachineNameOf(arn: string): string {
  return parseStateMachineArn(arn)?.name ?? arn.slice(arn.lastIndexOf(':') + 1);
}

export function parseExecutionArn(arn: string): { stateMachineName: string; name: string; express: boolean } | undefined {
  const m = EXECUTION_ARN.exec(arn);
  return m ? { stateMachineName: m[2]!, name: m[3]!, express: m[1] === 'express' } : undefined;
}

export function stateMachineArnOfExecution(p: Partition, arn: string): string | undefined {
  const parsed = parseExecutionArn(arn);
  return parsed ? stateMachineArn(p, parsed.stateMachineName) : undefined;
}

/** The ARN of the state machine an execution ARN names (its own partition, region and account). */
export function stateMachineArnOf(executionArn: string): string {
  const parts = executionArn.split(':');
  return [...parts.slice(0, 5), 'stateMachine', parts[6] ?? ''].join(':');
}

export function activityArn(p: Partition, name: string): string {
  return `arn:aws:states:${p.region}:${p.accountId}:activity:${name}`;
}

const ACTIVITY_ARN = /^arn:aws[\w-]*:states:[a-z0-9-]+:\d{12}:activity:([^:]+)$/;

export function parseActivityArn(arn: string): { name: string } | undefined {
  const m = ACTIVITY_ARN.exec(arn);
  return m ? { name: m[1]! } : undefined;
}
