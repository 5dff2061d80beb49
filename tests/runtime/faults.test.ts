import { describe, expect, it } from 'vitest';
import { MemoryExecutionStore } from '../../lib/adapters/memory/execution-store.js';
import { checkHistoryShape, DeliveryHarness, stateMachine, type Faults } from '../support/delivery-harness.js';
import { FAULT_MACHINES } from '../support/fault-machines.js';

async function run(definition: object, faults: Faults = {}) {
  const harness = new DeliveryHarness(new MemoryExecutionStore(), faults);
  const { execution } = await harness.engine.start(stateMachine(definition), 'ex', '{"in":true}');
  await harness.drain();
  return { harness, history: await harness.store.history(execution.executionArn), execution: await harness.store.getExecution(execution.executionArn) };
}

// Each case with one state transition per message (the AWS home's default) and with chains of a frame's states.
describe.each([1, 100])('exactly-once steps over at-least-once delivery, chainSteps %i', (chainSteps) => {
  const go = (definition: object, faults: Faults = {}) => run(definition, { ...faults, chainSteps });
  for (const [name, definition] of Object.entries(FAULT_MACHINES)) {
    describe(name, () => {
      it('an undisturbed run has a well-formed history', async () => {
        const { history, execution } = await go(definition);
        checkHistoryShape(history);
        expect(execution?.status).toBe('SUCCEEDED');
      });

      it('ends with the same history and output when every message is delivered twice', async () => {
        const clean = await go(definition);
        const doubled = await go(definition, { duplicate: true });
        expect(doubled.history).toEqual(clean.history);
        expect(doubled.execution?.output).toBe(clean.execution?.output);
        expect(doubled.harness.deliveries).toBeGreaterThan(clean.harness.deliveries * 2 - 1);
      });

      it('ends with the same history after a crash between commit and send, at every step', async () => {
        const clean = await go(definition);
        const commits = clean.harness.deliveries;
        expect(commits).toBeGreaterThan(10);
        for (let n = 1; n <= commits; n++) {
          const crashed = await go(definition, { crashAfterCommit: n });
          expect(crashed.history, `crash after commit #${n}`).toEqual(clean.history);
          expect(crashed.execution?.output).toBe(clean.execution?.output);
        }
      });

      it('ends with the same history when an SQS send fails after its commit, at every send', async () => {
        const clean = await go(definition);
        for (let n = 2; n <= clean.harness.deliveries; n++) {
          const failed = await go(definition, { failSend: n });
          expect(failed.history, `send #${n} failed`).toEqual(clean.history);
        }
      });
    });
  }
});
