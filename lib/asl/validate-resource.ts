import type { Findings } from './validate-context.js';

/**
 * Task Resource ARNs Step Functions accepts: a Lambda function, an activity, an optimised service
 * integration (a known list of service:action pairs, each with the patterns it supports), or an
 * AWS SDK integration `arn:aws:states:::aws-sdk:<service>:<action>`.
 */
type Pattern = 'sync' | 'sync:2' | 'waitForTaskToken';

interface Integration { actions: ReadonlySet<string>; patterns: ReadonlySet<Pattern> }

function integration(actions: string[], patterns: Pattern[]): Integration {
  return { actions: new Set(actions), patterns: new Set(patterns) };
}

// From the Developer Guide's "Integrating services with Step Functions" table: an action missing
// here (dynamodb:query, say) is reachable only through aws-sdk:, and AWS refuses it as an optimised one.
const OPTIMISED: Readonly<Record<string, Integration>> = {
  lambda: integration(['invoke'], ['waitForTaskToken']),
  sns: integration(['publish'], ['waitForTaskToken']),
  sqs: integration(['sendMessage'], ['waitForTaskToken']),
  dynamodb: integration(['getItem', 'putItem', 'updateItem', 'deleteItem'], []),
  events: integration(['putEvents'], ['waitForTaskToken']),
  states: integration(['startExecution'], ['sync', 'sync:2', 'waitForTaskToken']),
  ecs: integration(['runTask'], ['sync', 'waitForTaskToken']),
  batch: integration(['submitJob'], ['sync', 'waitForTaskToken']),
  glue: integration(['startJobRun'], ['sync', 'waitForTaskToken']),
  databrew: integration(['startJobRun'], ['sync']),
  athena: integration(['startQueryExecution', 'stopQueryExecution', 'getQueryExecution', 'getQueryResults'], ['sync', 'waitForTaskToken']),
  apigateway: integration(['invoke'], ['waitForTaskToken']),
  http: integration(['invoke'], []),
  bedrock: integration(['invokeModel', 'createModelCustomizationJob'], ['sync', 'waitForTaskToken']),
  mediaconvert: integration(['createJob'], ['sync']),
  codebuild: integration(['startBuild', 'stopBuild', 'batchDeleteBuilds', 'batchGetReports', 'startBuildBatch', 'stopBuildBatch', 'retryBuildBatch', 'retryBuild', 'deleteBuildBatch'], ['sync']),
  sagemaker: integration([
    'createEndpoint', 'createEndpointConfig', 'createHyperParameterTuningJob', 'createLabelingJob', 'createModel',
    'createProcessingJob', 'createTrainingJob', 'createTransformJob', 'updateEndpoint',
  ], ['sync', 'waitForTaskToken']),
  elasticmapreduce: integration([
    'createCluster', 'terminateCluster', 'addStep', 'cancelStep', 'setClusterTerminationProtection',
    'modifyInstanceFleetByName', 'modifyInstanceGroupByName',
  ], ['sync']),
  'emr-containers': integration(['createVirtualCluster', 'deleteVirtualCluster', 'startJobRun'], ['sync']),
  'emr-serverless': integration(['createApplication', 'startApplication', 'stopApplication', 'deleteApplication', 'startJobRun', 'cancelJobRun'], ['sync']),
  eks: integration(['createCluster', 'deleteCluster', 'createFargateProfile', 'deleteFargateProfile', 'createNodegroup', 'deleteNodegroup', 'runJob', 'call'], ['sync']),
};

const PARTITION = '(?:aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b)';
const LAMBDA_ARN = new RegExp(`^arn:${PARTITION}:lambda:[a-z0-9-]+:\\d{12}:function:[A-Za-z0-9_-]{1,64}(?::(?:\\$LATEST|[A-Za-z0-9_-]+))?$`);
const ACTIVITY_ARN = new RegExp(`^arn:${PARTITION}:states:[a-z0-9-]+:\\d{12}:activity:[^\\s]{1,80}$`);
const SERVICE_ARN = new RegExp(`^arn:${PARTITION}:states:::([a-z0-9-]+):([A-Za-z0-9]+)(?::([A-Za-z0-9]+))?(?:\\.(sync(?::2)?|waitForTaskToken))?$`);

export type ResourceKind = 'lambda' | 'activity' | 'optimised' | 'aws-sdk' | 'invalid';

export interface ResourceInfo { kind: ResourceKind; pattern?: Pattern }

export function classifyResource(resource: string): ResourceInfo {
  if (LAMBDA_ARN.test(resource)) return { kind: 'lambda' };
  if (ACTIVITY_ARN.test(resource)) return { kind: 'activity' };
  const match = SERVICE_ARN.exec(resource);
  if (match === null) return { kind: 'invalid' };
  const [, service = '', first = '', second, suffix] = match;
  const pattern = suffix as Pattern | undefined;
  if (service === 'aws-sdk') {
    // aws-sdk:<service>:<action>; the SDK integrations support no .sync pattern.
    if (second === undefined || (pattern !== undefined && pattern !== 'waitForTaskToken')) return { kind: 'invalid' };
    return pattern === undefined ? { kind: 'aws-sdk' } : { kind: 'aws-sdk', pattern };
  }
  const known = OPTIMISED[service];
  if (known === undefined || second !== undefined || !known.actions.has(first)) return { kind: 'invalid' };
  if (pattern !== undefined && !known.patterns.has(pattern)) return { kind: 'invalid' };
  return pattern === undefined ? { kind: 'optimised' } : { kind: 'optimised', pattern };
}

export function checkTaskResource(findings: Findings, resource: string, location: string): void {
  const info = classifyResource(resource);
  if (info.kind === 'invalid') {
    findings.schema(
      `The resource provided ${resource} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.`,
      location,
    );
    return;
  }
  if (findings.machineType !== 'EXPRESS') return;
  if (info.kind === 'activity') findings.schema('Express state machine does not support Activity ARN', location);
  // AWS's texts, spaces included: only the '.waitForTaskToken' message ends with a space, so it
  // reads "…service integration  at /States/…" (test_sfn_api_express: test_illegal_callbacks).
  else if (info.pattern === 'waitForTaskToken') findings.schema("Express state machine does not support '.waitForTaskToken' service integration ", location);
  else if (info.pattern !== undefined) findings.schema("Express state machine does not support '.sync' service integration", location);
}
