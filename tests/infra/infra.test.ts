import { CloudFormationClient, DescribeStacksCommand, ListStackResourcesCommand, ListStacksCommand, type StackResourceSummary } from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DescribeRuleCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { GetRoleCommand, GetRolePolicyCommand, IAMClient, ListRolePoliciesCommand } from '@aws-sdk/client-iam';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { MAX_RECEIVE_COUNT, TASK_VISIBILITY_TIMEOUT_SECONDS, VISIBILITY_TIMEOUT_SECONDS } from '../../lib/adapters/aws/resources.js';
import { tableDefinition, TTL_ATTRIBUTE } from '../../lib/adapters/aws/table.js';

/**
 * The deployment (serverless.yml + infra/): the template `serverless package` synthesises, checked
 * statically, then deployed with `serverless deploy` into moto's CloudFormation.
 */
type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const root = resolve('.');
const packageDir = mkdtempSync(join(tmpdir(), 'stepwise-package-'));
const stage = `t${Date.now().toString(36)}`;
const region = 'us-east-1';

interface Run { code: number | null; out: string }
/** node infra/serverless.mjs …, asynchronously (the CLI takes seconds). */
function serverless(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['infra/serverless.mjs', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, out }));
  });
}

let template: Json;
let resources: Json;

beforeAll(async () => {
  const run = await serverless(['package', '--stage', stage, '--package', packageDir]);
  if (run.code !== 0) throw new Error(`serverless package failed:\n${run.out}`);
  template = JSON.parse(readFileSync(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8')) as Json;
  resources = template['Resources'] as Json;
}, 180_000);

afterAll(() => rmSync(packageDir, { recursive: true, force: true }));

const ofType = (type: string): [string, Json][] => Object.entries(resources).filter(([, r]) => (r as Json)['Type'] === type) as [string, Json][];

/** Every IAM statement of a role, the branches of Fn::If included (a condition's statement is a statement). */
function statements(role: Json): Json[] {
  const out: Json[] = [];
  const visit = (s: Json): void => {
    if (s['Fn::If']) {
      for (const branch of (s['Fn::If'] as unknown[]).slice(1)) if (branch && typeof branch === 'object' && !('Ref' in branch)) visit(branch as Json);
    } else out.push(s);
  };
  for (const policy of (role['Properties']['Policies'] ?? []) as Json[]) for (const s of policy['PolicyDocument']['Statement'] as Json[]) visit(s);
  return out;
}
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

describe('the packaged CloudFormation template', () => {
  it('resolves every Ref, GetAtt and Sub reference', () => {
    const names = new Set([...Object.keys(resources), ...Object.keys(template['Parameters'] ?? {})]);
    const problems: string[] = [];
    const visit = (node: unknown, where: string): void => {
      if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${where}[${i}]`));
      if (!node || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node as Json)) {
        if (key === 'Ref' && typeof value === 'string' && !value.startsWith('AWS::') && !names.has(value)) problems.push(`${where}: Ref ${value}`);
        if (key === 'Fn::GetAtt') {
          const target = Array.isArray(value) ? String(value[0]) : String(value).split('.')[0]!;
          if (!(target in resources)) problems.push(`${where}: GetAtt ${target}`);
        }
        if (key === 'Fn::Sub') {
          const text = Array.isArray(value) ? String(value[0]) : String(value);
          for (const [, ref] of text.matchAll(/\$\{([^}!]+)\}/g)) {
            const name = ref!.split('.')[0]!;
            if (!name.startsWith('AWS::') && !names.has(name)) problems.push(`${where}: Sub ${ref}`);
          }
        }
        visit(value, `${where}.${key}`);
      }
    };
    visit(template, '');
    expect(problems).toEqual([]);
    for (const [name, cond] of Object.entries(template['Conditions'] ?? {})) expect(cond, name).toBeTruthy();
  });

  it('gives every function its own role, and no role allows a * action', () => {
    const functions = ofType('AWS::Lambda::Function');
    expect(functions.map(([n]) => n).sort()).toEqual(['ApiLambdaFunction', 'DeadLetterLambdaFunction', 'StartFromEventLambdaFunction', 'StepLambdaFunction', 'TaskLambdaFunction']);
    const roles = functions.map(([, f]) => f['Properties']['Role']['Fn::GetAtt'][0] as string);
    expect(new Set(roles).size).toBe(functions.length);
    for (const role of roles) expect(resources[role]['Type']).toBe('AWS::IAM::Role');
    expect(ofType('AWS::IAM::Role').length).toBe(functions.length); // no shared default role
    for (const [name, role] of ofType('AWS::IAM::Role')) {
      const all = statements(role);
      expect(all.length, name).toBeGreaterThan(0);
      for (const s of all) {
        expect(s['Effect']).toBe('Allow');
        for (const action of list(s['Action'])) expect(String(action), `${name} ${s['Sid']}`).not.toContain('*');
        for (const resource of list(s['Resource'])) expect(resource, `${name} ${s['Sid']}`).not.toBe('*');
      }
      // Logs on the function's own log group, and (behind a condition) on the executions' log groups only.
      const logs = all.filter((s) => s['Sid'] !== 'ExecutionLogs' && list(s['Action']).some((a) => String(a).startsWith('logs:')));
      expect(logs.length).toBe(1);
      const executionLogs = all.filter((s) => s['Sid'] === 'ExecutionLogs');
      expect(executionLogs.map((s) => s['Resource']), name).toEqual([{ Ref: 'ExecutionLogGroupArns' }]);
      const fn = functions.find(([, f]) => f['Properties']['Role']['Fn::GetAtt'][0] === name)!;
      expect(list(logs[0]!['Resource'])).toEqual([{ 'Fn::GetAtt': [(fn[1]['DependsOn'] as string[]).find((d) => d.endsWith('LogGroup')), 'Arn'] }]);
    }
  });

  it('grants task integrations to the functions that call them only (task; api, which runs StartSyncExecution), through conditions on the configured ARN lists', () => {
    const policy = (role: string) => resources[role]['Properties']['Policies'][0]['PolicyDocument']['Statement'] as Json[];
    const conditional = (role: string) => policy(role).filter((s) => s['Fn::If']).map((s) => s['Fn::If'][0]).sort();
    for (const role of ['TaskRole', 'ApiRole']) expect(conditional(role), role).toEqual(['HasExecutionLogGroupArns', 'HasTaskDynamoDbTableArns', 'HasTaskEventBusArns', 'HasTaskLambdaArns', 'HasTaskSnsTopicArns', 'HasTaskSqsQueueArns']);
    for (const role of ['StepRole', 'StartFromEventRole', 'DeadLetterRole']) expect(conditional(role), role).toEqual(['HasExecutionLogGroupArns']);
    for (const s of policy('TaskRole').filter((x) => x['Fn::If'])) expect(s['Fn::If'][2]).toEqual({ Ref: 'AWS::NoValue' });
    for (const p of ['TaskLambdaArns', 'TaskSqsQueueArns', 'TaskSnsTopicArns', 'TaskDynamoDbTableArns', 'TaskEventBusArns']) {
      expect(template['Parameters'][p]).toMatchObject({ Type: 'CommaDelimitedList', Default: '' });
    }
  });

  it.each([
    ['StepQueue', 'StepLambdaFunction'],
    ['TaskQueue', 'TaskLambdaFunction'],
  ])('keeps %s invisible longer than its function runs, with a redrive to the DLQ', (queueName, functionName) => {
    const queue = resources[queueName]['Properties'];
    const fn = resources[functionName]['Properties'];
    expect(queue['VisibilityTimeout']).toBeGreaterThan(fn['Timeout']);
    expect(queue['RedrivePolicy']).toEqual({ deadLetterTargetArn: { 'Fn::GetAtt': ['StepDeadLetterQueue', 'Arn'] }, maxReceiveCount: MAX_RECEIVE_COUNT });
    const [, mapping] = ofType('AWS::Lambda::EventSourceMapping').find(([, m]) => m['Properties']['FunctionName']['Fn::GetAtt'][0] === functionName)!;
    expect(mapping['Properties']['FunctionResponseTypes']).toEqual(['ReportBatchItemFailures']);
    expect(mapping['Properties']['EventSourceArn']).toEqual({ 'Fn::GetAtt': [queueName, 'Arn'] });
  });

  it('gives a Task call as long as Lambda gives a function, and the queue settings ensureStepQueues makes locally', () => {
    expect(resources['TaskLambdaFunction']['Properties']['Timeout']).toBe(900);
    expect(resources['TaskQueue']['Properties']['VisibilityTimeout']).toBe(TASK_VISIBILITY_TIMEOUT_SECONDS);
    expect(resources['StepQueue']['Properties']['VisibilityTimeout']).toBe(VISIBILITY_TIMEOUT_SECONDS);
  });

  it('defines the table as tableDefinition() does, on demand, with TTL on expiresAt and point-in-time recovery', () => {
    const table = resources['Table']['Properties'];
    const { TableName: _name, ...expected } = tableDefinition('any');
    expect(table['BillingMode']).toBe(expected.BillingMode);
    expect(table['KeySchema']).toEqual(expected.KeySchema);
    expect(table['AttributeDefinitions']).toEqual(expected.AttributeDefinitions);
    expect(table['GlobalSecondaryIndexes']).toEqual(expected.GlobalSecondaryIndexes);
    expect(table['TimeToLiveSpecification']).toEqual({ AttributeName: TTL_ATTRIBUTE, Enabled: true });
    expect(TTL_ATTRIBUTE).toBe('expiresAt');
    expect(table['PointInTimeRecoverySpecification']).toEqual({ PointInTimeRecoveryEnabled: true });
  });

  it('runs the functions on ARM64 Node.js from the zipped bundles, with the environment the AWS home reads', () => {
    for (const [name, fn] of ofType('AWS::Lambda::Function')) {
      const p = fn['Properties'];
      expect(p['Architectures'], name).toEqual(['arm64']);
      expect(p['Runtime'], name).toMatch(/^nodejs\d+\.x$/);
      expect(p['Handler']).toBe('index.handler');
      expect(p['Environment']['Variables']).toMatchObject({
        STEPWISE_TABLE: { Ref: 'Table' },
        STEPWISE_STEP_QUEUE_URL: { Ref: 'StepQueue' },
        STEPWISE_TASK_QUEUE_URL: { Ref: 'TaskQueue' },
        STEPWISE_EVENT_BUS: 'default',
        STEPWISE_ACTIVITY_POLL_SECONDS: '25',
        // One state transition per step message unless a deploy asks for chains (--param chainSteps=N).
        STEPWISE_CHAIN_STEPS: '1',
        STEPWISE_ACCOUNT_ID: { Ref: 'AWS::AccountId' },
      });
      expect(p['Environment']['Variables']['STEPWISE_EVENT_SOURCE']).not.toMatch(/^aws\./);
    }
    for (const [name, group] of ofType('AWS::Logs::LogGroup')) expect(group['Properties']['RetentionInDays'], name).toBeGreaterThan(0);
    expect(ofType('AWS::Logs::LogGroup').length).toBe(5);
  });

  it('authorises the HTTP API with IAM and targets start-from-event from the start rule', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route');
    expect(routes.length).toBeGreaterThan(0);
    for (const [, route] of routes) expect(route['Properties']['AuthorizationType']).toBe('AWS_IAM');
    const rule = resources['StartExecutionRule']['Properties'];
    expect(rule['Targets']).toEqual([{ Id: 'start-from-event', Arn: { 'Fn::GetAtt': ['StartFromEventLambdaFunction', 'Arn'] } }]);
    expect(JSON.stringify(rule['EventPattern'])).not.toContain('stepwise.states'); // never its own status events
  });
});

describe('serverless deploy into moto', () => {
  const endpoint = inject('motoEndpoint');
  const aws = { region, endpoint, credentials: { accessKeyId: 'test', secretAccessKey: 'test' } };
  const env = { AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: region, AWS_PROFILE: '' };
  const cfn = new CloudFormationClient(aws);
  const stackName = `stepwise-${stage}`;
  const stackNames = async () => ((await cfn.send(new ListStacksCommand({}))).StackSummaries ?? []).filter((s) => s.StackStatus !== 'DELETE_COMPLETE').map((s) => s.StackName);

  it('refuses a deploy without a stage with the CLI error, creating nothing', async () => {
    const before = await stackNames();
    const run = await serverless(['deploy', '--package', packageDir, '--no-build'], env);
    expect(run.code).not.toBe(0);
    expect(run.out).toContain('Cannot resolve variable at "provider.stage"');
    expect(await stackNames()).toEqual(before);
  }, 60_000);

  let stackResources: StackResourceSummary[] = [];
  const physical = (logical: string) => stackResources.find((r) => r.LogicalResourceId === logical)?.PhysicalResourceId ?? '';

  it('deploys the stack: table with its indexes and TTL, queues with redrive, functions, roles, log groups, rule', async () => {
    const run = await serverless(['deploy', '--stage', stage, '--package', packageDir, '--no-build'], env);
    expect(run.code, run.out).toBe(0);
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
    expect(stack?.StackStatus).toMatch(/^(CREATE|UPDATE)_COMPLETE$/);
    stackResources = (await cfn.send(new ListStackResourcesCommand({ StackName: stackName }))).StackResourceSummaries ?? [];

    const db = new DynamoDBClient(aws);
    const table = (await db.send(new DescribeTableCommand({ TableName: physical('Table') }))).Table!;
    expect(table.KeySchema).toEqual(tableDefinition('x').KeySchema);
    expect(table.GlobalSecondaryIndexes?.map((i) => i.IndexName).sort()).toEqual(['byStateMachine', 'byStatus']);
    // moto 5.1.1's CloudFormation ignores TimeToLiveSpecification (the template test above checks it):
    // DescribeTimeToLive answers, with TTL off.
    expect((await db.send(new DescribeTimeToLiveCommand({ TableName: physical('Table') }))).TimeToLiveDescription).toBeDefined();
    db.destroy();

    const sqs = new SQSClient(aws);
    const attributes = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: physical('StepQueue'), AttributeNames: ['All'] }))).Attributes ?? {};
    expect(attributes['VisibilityTimeout']).toBe('60');
    const redrive = JSON.parse(attributes['RedrivePolicy'] ?? '{}') as Json;
    expect(Number(redrive['maxReceiveCount'])).toBe(MAX_RECEIVE_COUNT);
    expect(String(redrive['deadLetterTargetArn'])).toMatch(/:[^:]+$/);
    expect(physical('StepDeadLetterQueue')).toContain(String(redrive['deadLetterTargetArn']).split(':').pop());
    const taskQueue = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: physical('TaskQueue'), AttributeNames: ['All'] }))).Attributes ?? {};
    expect(taskQueue['VisibilityTimeout']).toBe('960');
    expect(JSON.parse(taskQueue['RedrivePolicy'] ?? '{}')).toEqual(redrive);
    sqs.destroy();

    const functions = stackResources.filter((r) => r.ResourceType === 'AWS::Lambda::Function');
    expect(functions.map((f) => f.PhysicalResourceId).sort()).toEqual(['api', 'deadLetter', 'startFromEvent', 'step', 'task'].map((f) => `stepwise-${stage}-${f}`).sort());

    const iam = new IAMClient(aws);
    for (const role of ['StepRole', 'TaskRole', 'ApiRole', 'StartFromEventRole', 'DeadLetterRole']) {
      const roleName = physical(role);
      expect((await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role?.RoleName).toBe(roleName);
      const [policy] = (await iam.send(new ListRolePoliciesCommand({ RoleName: roleName }))).PolicyNames ?? [];
      const document = (await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: policy! }))).PolicyDocument ?? '';
      expect(decodeURIComponent(document)).not.toMatch(/"Action":\s*(\[[^\]]*)?"[^"]*\*/);
    }
    iam.destroy();

    const logs = new CloudWatchLogsClient(aws);
    const groups = (await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: `/aws/lambda/stepwise-${stage}-` }))).logGroups ?? [];
    expect(groups.length).toBe(5);
    for (const group of groups) expect(group.retentionInDays).toBe(30);
    logs.destroy();

    const events = new EventBridgeClient(aws);
    const rule = await events.send(new DescribeRuleCommand({ Name: physical('StartExecutionRule').split('|').pop()!.split('/').pop()!, EventBusName: 'default' }));
    expect(rule.State).toBe('ENABLED');
    events.destroy();
  }, 120_000);

  it('deploys again over the same stack (a second run repairs or changes nothing)', async () => {
    const run = await serverless(['deploy', '--stage', stage, '--package', packageDir, '--no-build'], env);
    expect(run.code, run.out).toBe(0);
    const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
    expect(stack?.StackStatus).toMatch(/^(CREATE|UPDATE)_COMPLETE$/);
  }, 120_000);

  afterAll(() => cfn.destroy());
});
