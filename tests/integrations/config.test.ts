// stepwise.config.json: where it is read from, what it resolves to, and the error naming the field
// for each thing it refuses.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EMPTY_CONFIG, IntegrationsConfigError, loadIntegrationsConfig, parseIntegrationsConfig } from '../../lib/integrations/config.js';

const dir = () => mkdtempSync(join(tmpdir(), 'stepwise-config-'));
const write = (folder: string, json: unknown, name = 'stepwise.config.json') => {
  const file = join(folder, name);
  writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
  return file;
};

describe('loadIntegrationsConfig', () => {
  it('reads stepwise.config.json in the working directory, resolving handlers against its folder', () => {
    const folder = dir();
    write(folder, {
      functions: {
        MyFunction: { handler: './examples/fn.mjs#handler', timeout: 10 },
        'arn:aws:lambda:us-east-1:123456789012:function:Other': { endpoint: 'http://127.0.0.1:9001' },
        '123456789012:function:Partial': { handler: 'lib/partial.mjs', memorySize: 1024 },
      },
      aws: { region: 'eu-west-1', endpoint: 'http://localhost:4566', endpoints: { sqs: 'http://localhost:9324' } },
    });
    expect(loadIntegrationsConfig(undefined, {}, folder)).toEqual({
      functions: {
        MyFunction: { handler: { module: join(folder, 'examples/fn.mjs'), export: 'handler' }, timeout: 10, memorySize: 128 },
        Other: { endpoint: 'http://127.0.0.1:9001' },
        Partial: { handler: { module: join(folder, 'lib/partial.mjs'), export: 'handler' }, timeout: 3, memorySize: 1024 },
      },
      aws: { region: 'eu-west-1', endpoint: 'http://localhost:4566', endpoints: { sqs: 'http://localhost:9324' } },
    });
  });

  it('is the empty configuration when there is no file', () => {
    expect(loadIntegrationsConfig(undefined, {}, dir())).toBe(EMPTY_CONFIG);
    expect(EMPTY_CONFIG).toEqual({ functions: {}, aws: { endpoints: {} } });
  });

  it('reads the file STEPWISE_CONFIG names, or the path given, and requires it to exist', () => {
    const folder = dir();
    const file = write(folder, { functions: { F: { handler: 'f.mjs#main' } } }, 'custom.json');
    expect(loadIntegrationsConfig(undefined, { STEPWISE_CONFIG: file }, '/').functions).toEqual({ F: { handler: { module: join(folder, 'f.mjs'), export: 'main' }, timeout: 3, memorySize: 128 } });
    expect(loadIntegrationsConfig('custom.json', {}, folder).functions['F']).toBeDefined();
    expect(() => loadIntegrationsConfig(undefined, { STEPWISE_CONFIG: join(folder, 'missing.json') }, '/')).toThrow(`cannot read the integrations config ${join(folder, 'missing.json')}: ENOENT`);
  });

  it('refuses a file that is not JSON', () => {
    const folder = dir();
    const file = write(folder, '{ "functions": ');
    expect(() => loadIntegrationsConfig(file)).toThrow(IntegrationsConfigError);
    expect(() => loadIntegrationsConfig(file)).toThrow(`${file} is not valid JSON: `);
  });
});

describe('parseIntegrationsConfig names the bad field', () => {
  const refused = (json: unknown) => {
    try {
      parseIntegrationsConfig(json, '/base', 'cfg.json');
    } catch (error) {
      expect(error).toBeInstanceOf(IntegrationsConfigError);
      return (error as Error).message;
    }
    throw new Error('accepted');
  };

  it.each([
    [[], 'cfg.json: the top level must be an object'],
    [{ function: {} }, 'cfg.json: function is not a known field (known: functions, aws)'],
    [{ functions: [] }, 'cfg.json: functions must be an object'],
    [{ functions: { 'bad name!': { handler: 'f.mjs' } } }, 'cfg.json: functions["bad name!"] is not a function name or ARN'],
    [{ functions: { 'F:prod': { handler: 'f.mjs' } } }, 'cfg.json: functions["F:prod"] names a qualified function: register the function itself'],
    [{ functions: { F: { handler: 'f.mjs' }, 'arn:aws:lambda:us-east-1:123456789012:function:F': { handler: 'g.mjs' } } }, 'cfg.json: functions["arn:aws:lambda:us-east-1:123456789012:function:F"] registers F a second time'],
    [{ functions: { F: 'f.mjs' } }, 'cfg.json: functions["F"] must be an object'],
    [{ functions: { F: {} } }, 'cfg.json: functions["F"] must have either "handler" or "endpoint"'],
    [{ functions: { F: { handler: 'f.mjs', endpoint: 'http://x' } } }, 'cfg.json: functions["F"] must have either "handler" or "endpoint"'],
    [{ functions: { F: { handler: 3 } } }, 'cfg.json: functions["F"].handler must be "<module path>#<export>" (the export defaults to "handler")'],
    [{ functions: { F: { handler: 'f.mjs#not-an-id' } } }, 'cfg.json: functions["F"].handler names the export "not-an-id", which is not an identifier'],
    [{ functions: { F: { handler: 'f.mjs', timeout: 0 } } }, 'cfg.json: functions["F"].timeout must be a number of seconds, more than 0 and at most 900'],
    [{ functions: { F: { handler: 'f.mjs', timeout: '3' } } }, 'cfg.json: functions["F"].timeout must be a number of seconds, more than 0 and at most 900'],
    [{ functions: { F: { handler: 'f.mjs', memorySize: 64 } } }, 'cfg.json: functions["F"].memorySize must be a whole number of MB from 128 to 10240'],
    [{ functions: { F: { handler: 'f.mjs', runtime: 'nodejs20.x' } } }, 'cfg.json: functions["F"].runtime is not a known field (known: handler, endpoint, timeout, memorySize)'],
    [{ functions: { F: { endpoint: 'localhost:9001' } } }, 'cfg.json: functions["F"].endpoint must be an http(s) URL'],
    [{ functions: { F: { endpoint: 'http://x', timeout: 3 } } }, 'cfg.json: functions["F"] sets "timeout"/"memorySize", which only a local "handler" takes'],
    [{ aws: { region: 'mars' } }, 'cfg.json: aws.region must be a region name such as "us-east-1"'],
    [{ aws: { endpoint: 'nope' } }, 'cfg.json: aws.endpoint must be an http(s) URL'],
    [{ aws: { endpoints: { s3: 'http://x' } } }, 'cfg.json: aws.endpoints.s3 is not one of lambda, sqs, sns, dynamodb, eventbridge'],
    [{ aws: { endpoints: { sqs: 5 } } }, 'cfg.json: aws.endpoints.sqs must be an http(s) URL'],
    [{ aws: { credentials: {} } }, 'cfg.json: aws.credentials is not a known field (known: region, endpoint, endpoints)'],
  ])('%j', (json, message) => {
    expect(refused(json)).toBe(message);
  });
});
